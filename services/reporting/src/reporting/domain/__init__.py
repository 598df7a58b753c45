"""Reporting's rules as plain Python: academic years, which schools a report covers, and which
groups are too small to show."""
