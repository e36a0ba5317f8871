"""The caseworkers' web app: server-rendered GOV.UK Frontend pages over income-api and
comms-api. It owns no data: every page calls the APIs with the signed-in user's token."""
