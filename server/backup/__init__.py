"""Backups of the database: `servio backup` by hand and a daily job, with rotation."""
