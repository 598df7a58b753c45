"""One module per publisher, each with a ``CONTRACTS`` tuple."""
