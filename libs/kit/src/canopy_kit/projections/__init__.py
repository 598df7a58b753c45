"""Local projections of other services' data, built only from their events."""
