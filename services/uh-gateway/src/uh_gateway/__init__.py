"""uh-gateway: the REST API over Universal Housing."""
