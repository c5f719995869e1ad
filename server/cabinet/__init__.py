"""The customer cabinet: «my requests and orders» through a one-time link, no account."""
