"""Accounts: users and their roles, passwords, sessions, login limits, security events."""
