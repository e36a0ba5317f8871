"""Notify's rules, with no I/O: statuses, placeholders, recipients, addresses, letters."""
