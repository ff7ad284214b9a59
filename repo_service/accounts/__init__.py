"""Accounts: organisations of the three-level network, users and their roles."""
