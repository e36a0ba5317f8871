"""The pages: one router per area (`sign_in`, `worktray`, `cases`, `search`, `patches`), the
Jinja templates and our few static files, the error pages, CSRF and security headers."""
