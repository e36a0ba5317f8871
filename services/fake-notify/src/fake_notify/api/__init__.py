"""The HTTP routes: Notify's v2 API and the fake's own `/_fake/` admin API."""
