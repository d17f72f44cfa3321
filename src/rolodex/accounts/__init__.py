"""Accounts: the people who own address books."""
