"""Offline sync of the field app: pull what changed, push mutations exactly once (PROTOCOL.md)."""
