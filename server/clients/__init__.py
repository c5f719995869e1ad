"""Clients (people and companies), their contacts, addresses, devices and reminders."""
