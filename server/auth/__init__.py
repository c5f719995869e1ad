"""Logging in and out: passwords, sessions stored in PostgreSQL, throttling."""
