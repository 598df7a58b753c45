"""What identity does with events, called by its consumer: only its own account mail."""
