"""HTTP clients for income-api and comms-api: each call carries the signed-in user's token and
the correlation id, and each upstream error becomes one of `gateways.errors`."""
