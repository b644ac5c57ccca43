"""Review of goals: quality rules and their documentation, the semantic diff between git
refs and its reports."""
