"""The resolved goal graph and what is computed from it: periods, progress and scores,
chains up to the KPIs."""
