"""What observation does with other services' events, beyond the kit's directory projection."""
