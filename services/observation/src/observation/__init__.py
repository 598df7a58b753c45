"""Canopy observation: frameworks, versioned forms, drop-ins, coaching and acknowledgement."""
