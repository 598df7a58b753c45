"""Reporting's rules as plain Python: academic years, which schools a report covers, what of an
observation and of a CPD request the reports count, and which groups are too small to show."""
