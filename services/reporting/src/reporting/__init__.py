"""Canopy reporting: trust-wide and per-school reports from read models built only from events."""
