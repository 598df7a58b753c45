"""Privacy rules every service's aggregate views share (small-group suppression)."""
