"""Accounts: the people who own address books, how they log in (sessions, the login
throttle), and the server's own secret key that signs their cookies and cursors."""
