"""HTTP: the app factory and what every endpoint shares."""
