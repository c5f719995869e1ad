"""Architecture contracts of Servio, checked by import-linter in `make lint` (.importlinter)."""
