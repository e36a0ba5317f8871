"""Static files: GOV.UK Frontend's compiled CSS, JS, fonts and images from its npm package,
and our own small `static/` folder, all under `/assets` (the path GOV.UK Frontend's CSS uses
for its fonts and images).

Pages link to `asset_url(name)`, which adds the file's content hash (`?v=…`): such URLs, and
the fonts (whose names carry a hash), are cached for a year; anything else for an hour.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

ASSETS_PATH = "/assets"
STATIC = Path(__file__).parent / "static"
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=3600"


class MissingAssets(RuntimeError):
    pass


def asset_directories(govuk_frontend_dir: Path) -> list[Path]:
    """Ours first, then GOV.UK Frontend's `assets/` (fonts, images) and its compiled files."""
    directories = [STATIC, govuk_frontend_dir / "assets", govuk_frontend_dir]
    missing = [str(d) for d in directories if not d.is_dir()]
    if missing:
        raise MissingAssets(
            f"GOV.UK Frontend is not installed ({', '.join(missing)}): run `make install`, "
            "which runs `npm ci` from the root package.json."
        )
    return directories


class Assets(StaticFiles):
    def __init__(self, directories: list[Path]) -> None:
        super().__init__(directory=directories[0])
        self.all_directories = [str(d) for d in directories]

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = b"v=" in scope.get("query_string", b"")
        hashed_name = scope["path"].startswith(f"{ASSETS_PATH}/fonts/")
        response.headers["Cache-Control"] = LONG_CACHE if versioned or hashed_name else SHORT_CACHE
        return response

    def url(self, name: str) -> str:
        return f"{ASSETS_PATH}/{name}?v={self._version(name)}"

    @cache  # noqa: B019 - one Assets per app, files fixed while it runs
    def _version(self, name: str) -> str:
        for directory in self.all_directories:
            path = Path(directory) / name
            if path.is_file():
                return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        raise MissingAssets(f"No asset called {name!r}.")
