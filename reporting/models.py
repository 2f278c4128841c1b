"""Figures, dashboards and quarterly returns arrive with the reporting issue."""
