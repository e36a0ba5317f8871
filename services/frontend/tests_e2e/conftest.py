"""The browser suite: every service started as `make run` starts it (`infra/local/run.py`),
on free ports and a throwaway data folder with the test profile's simulated UH, driven by
Debian's Chromium through Playwright (never a browser Playwright downloads itself).

    make e2e          # = infra/local/browser-packages.sh, then pytest services/frontend/tests_e2e
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium's own calls home are refused on a closed
# network, and it slows down waiting for them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "Manage Arrears is running"
START_TIMEOUT_SECONDS = 240
PORT_VARIABLES = (
    "PORT_AWS",
    "PORT_UH_GATEWAY",
    "PORT_INCOME_API",
    "PORT_FAKE_NOTIFY",
    "PORT_COMMS_API",
    "PORT_FRONTEND",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Stack:
    """The running services: their URLs (by run.py's port variable) and data folder."""

    ports: dict[str, int]
    data_dir: Path
    output: list[str] = field(default_factory=list)

    def url(self, variable: str) -> str:
        return f"http://127.0.0.1:{self.ports[variable]}"

    @property
    def frontend(self) -> str:
        return self.url("PORT_FRONTEND")

    @property
    def income_api(self) -> str:
        return self.url("PORT_INCOME_API")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`make run` (infra/local/run.py) as a subprocess: PROFILE=test, its own DATA_DIR (the
    developer's data/ is never touched), free ports; stopped with Ctrl-C's signal at the end."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    ports = {variable: free_port() for variable in PORT_VARIABLES}
    env = {
        **os.environ,
        **{variable: str(port) for variable, port in ports.items()},
        "DATA_DIR": str(data_dir),
        "PROFILE": "test",
        "AUTH_MODE": "dev",
        "PYTHONUNBUFFERED": "1",
    }
    for variable in ("DATABASE_URL", "UH_DATABASE_URL", "GATEWAY_DATABASE_URL"):
        env.pop(variable, None)
    process = subprocess.Popen(  # noqa: S603 (our own run.py)
        [sys.executable, str(ROOT / "infra" / "local" / "run.py")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Stack(ports, data_dir)
    ready = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line)
            if READY in line:
                ready.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not ready.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("make run did not start:\n" + "".join(running.output)[-4000:])
        yield running
    finally:
        # run.py stops every service it started on Ctrl-C (SIGINT), even while starting.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run infra/local/browser-packages.sh (make e2e does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request: pytest.FixtureRequest) -> bool:
    enabled: bool = request.param
    return enabled


SignIn = Callable[[str], Page]


@pytest.fixture
def sign_in(stack: Stack, browser: Browser, javascript: bool) -> Iterator[SignIn]:
    """`sign_in(role)`: a new browser (JavaScript on or off) signed in through the dev sign-in
    page as "rent", "leasehold" or "team-leader"; its page."""
    contexts: list[BrowserContext] = []

    def signed_in(role: str) -> Page:
        context = browser.new_context(base_url=stack.frontend, java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/sign-in")
        page.check(f"input[name=role][value='{role}']")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/sign-in" not in page.url, page.content()[:2000]
        return page

    yield signed_in
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


class AxeCheck:
    """axe-core (bundled by axe-playwright-python) on a page: zero violations, or its report.
    Remembers the pages it checked, for the summary test."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: dict[str, str] = {}

    def __call__(self, page: Page, name: str) -> None:
        results = self.axe.run(page)
        self.checked[name] = page.url
        violations = [
            violation
            for violation in (_without_known(v) for v in results.response["violations"])
            if violation["nodes"]
        ]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    {node['target']} {node['html'][:300]}" for node in v["nodes"])
            for v in violations
        )
        assert not violations, f"axe found violations on {name} ({page.url}):\n{report}"


def _without_known(violation: dict[str, Any]) -> dict[str, Any]:
    """A violation less the one known, accepted one: GOV.UK Frontend's own JavaScript sets
    `aria-expanded` on a radio or checkbox that reveals a conditional field
    (`aria-controls="conditional-…"`), which axe's aria-allowed-attr flags; the design
    system keeps it on purpose (screen readers announce the reveal)."""
    if violation["id"] != "aria-allowed-attr":
        return violation
    nodes = [
        node
        for node in violation["nodes"]
        if not (
            'aria-controls="conditional-' in node["html"]
            and "aria-expanded" in node["html"]
            and ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        )
    ]
    return {**violation, "nodes": nodes}


@pytest.fixture(scope="session")
def axe_checker() -> AxeCheck:
    return AxeCheck()


Accessible = Callable[[Page, str], None]


@pytest.fixture
def accessible(axe_checker: AxeCheck, javascript: bool) -> Accessible:
    """`accessible(page, name)`: the axe check, where JavaScript is on (axe runs in the page)."""

    def check(page: Page, name: str) -> None:
        if javascript:
            axe_checker(page, name)

    return check
