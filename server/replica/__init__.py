"""A streaming hot standby of the database for the single-site case: `servio replica init`,
`status` and `promote` (production uses Patroni or a managed cluster instead)."""
