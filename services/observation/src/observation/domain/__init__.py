"""Observation's rules as plain Python: forms and responses, the national standards."""
