"""Dispatch: field visits (выезды) of masters to clients' addresses."""
