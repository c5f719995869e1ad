"""Employees, roles and permissions."""
