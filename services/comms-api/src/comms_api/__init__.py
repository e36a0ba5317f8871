"""SMS, email and letters through GOV.UK Notify (built in a later issue)."""
