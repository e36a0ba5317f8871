"""A local fake of GOV.UK Notify's v2 API that the official Python client talks to unchanged."""
