"""Portfolio's rules as plain Python: they take and return values and raise ``canopy_kit.errors``.
What they need to know from the database (where someone worked that day, who holds which role) is
looked up by the commands and the access policy and handed in."""
