"""The rectification domain: cases, the closed loop, look-backs, tickets, audit, statistics."""
