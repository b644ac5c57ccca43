"""The okrsite command and what only it does: init, new-period, import, pdf."""
