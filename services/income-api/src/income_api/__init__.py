"""Arrears cases and their next recommended action (built in a later issue)."""
