"""`make run`: build the simulated UH database if it is absent, start every service that
exists with its local stand-ins, wait until each is healthy, say where they are, and stop
them all on Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ma_shared.settings import DEV_JWT_SECRET

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HEALTH = "/api/v1/healthcheck/ping"

logger = logging.getLogger("make-run")


@dataclass(frozen=True)
class Service:
    name: str
    module: str
    port: int
    docs: str = "/api/v1/docs"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


SERVICES = [Service("uh-gateway", "uh_gateway.main", int(os.environ.get("PORT_UH_GATEWAY", 8003)))]


def build_uh_simulator(env: dict[str, str]) -> None:
    profile = os.environ.get("PROFILE", "run")
    logger.info("Checking the simulated UH database (built on the first run, about 15 s)…")
    subprocess.run(
        [sys.executable, "-m", "uh_gateway.seed", "--profile", profile, "--if-absent"],
        # The seed command's step-by-step JSON log is for operators; here, just its summary.
        env={**env, "LOG_LEVEL": "WARNING"},
        check=True,
    )


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_healthy(service: Service, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{service.name} stopped while starting (exit {process.returncode})")
        try:
            if httpx.get(service.url + HEALTH, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{service.name} did not become healthy within 60 s")


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    DATA.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "AUTH_MODE": os.environ.get("AUTH_MODE", "dev"),
        "UH_DATABASE_URL": os.environ.get("UH_DATABASE_URL", f"sqlite:///{DATA}/uh.sqlite3"),
        "GATEWAY_DATABASE_URL": os.environ.get(
            "GATEWAY_DATABASE_URL", f"sqlite:///{DATA}/uh-gateway.sqlite3"
        ),
    }
    busy = [f"{s.name} ({s.port})" for s in SERVICES if port_in_use(s.port)]
    if busy:
        raise SystemExit(
            f"Port in use for {', '.join(busy)}: is another `make run` still going? "
            "Stop it, or choose ports with PORT_UH_GATEWAY=…"
        )
    build_uh_simulator(env)
    processes: list[tuple[Service, subprocess.Popen[bytes]]] = []
    try:
        for service in SERVICES:
            process = subprocess.Popen(
                [sys.executable, "-m", service.module],
                env={**env, "PORT": str(service.port)},
                stdout=(DATA / f"{service.name}.log").open("ab"),
                stderr=subprocess.STDOUT,
            )
            processes.append((service, process))
        for service, process in processes:
            wait_until_healthy(service, process)
        lines = ["", "Manage Arrears is running:"]
        for service in SERVICES:
            lines.append(
                f"  {service.name:<12} {service.url}  (API docs {service.url}{service.docs})"
            )
        lines += [
            "",
            "Sign in: APIs take a bearer token. Mint one for a role with",
            "  make token ROLE=rent        (also leasehold, team-leader, read-only, service)",
            "then, for example:",
            '  curl -H "Authorization: Bearer $(make -s token ROLE=rent)" \\',
            f"       '{SERVICES[0].url}/api/v1/arrears-criteria/rent?limit=5'",
            f"Tokens are signed with the documented dev secret ({DEV_JWT_SECRET!r}).",
            f"Logs: {DATA}/<service>.log   Stop: press Ctrl-C.",
        ]
        logger.info("\n".join(lines))
        signal.signal(signal.SIGTERM, _stop)
        while all(process.poll() is None for _, process in processes):
            time.sleep(1)
        stopped = [s.name for s, p in processes if p.poll() is not None]
        logger.error("stopped unexpectedly: %s (see its log in %s)", ", ".join(stopped), DATA)
    except KeyboardInterrupt:
        logger.info("stopping…")
    finally:
        for _, process in processes:
            process.terminate()
        for _, process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
