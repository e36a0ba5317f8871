"""Manage Arrears common library."""
