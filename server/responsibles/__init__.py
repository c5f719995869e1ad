"""Automatic responsibles: rules, the problem classification, address zones."""
