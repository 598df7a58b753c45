"""Reporting's rules as plain Python: academic years, and which groups are too small to show."""
