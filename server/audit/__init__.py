"""The audit log: who changed which fields of which record, from what to what."""
