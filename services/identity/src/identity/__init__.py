"""Canopy identity: who belongs to which trust, where they work, what they may do, and the
tokens every other service trusts."""
