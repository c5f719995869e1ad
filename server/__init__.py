"""Servio server: the Litestar application, one package per domain."""
