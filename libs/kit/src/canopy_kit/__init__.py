"""The Canopy service kit: what every service shares, so that a service adds only domain code."""
