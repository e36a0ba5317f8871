"""`make run`: build the simulated UH database if it is absent, start every service that
exists with its local stand-ins, wait until each is healthy, say where they are, and stop
them all on Ctrl-C."""

from __future__ import annotations

import datetime as dt
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

from fake_notify.config import LIVE_API_KEY
from ma_shared.auth import mint_service_token
from ma_shared.settings import DEV_JWT_SECRET, DEV_SERVICE_JWT_SECRET

ROOT = Path(__file__).resolve().parents[2]
# DATA_DIR: where the databases and logs go (the end-to-end tests use a throwaway one).
DATA = Path(os.environ.get("DATA_DIR") or ROOT / "data").resolve()
HEALTH = "/api/v1/healthcheck/ping"

logger = logging.getLogger("make-run")


@dataclass(frozen=True)
class Service:
    name: str
    command: tuple[str, ...]
    port: int
    # Our services answer the health check; the stand-ins are ready once they accept
    # connections.
    ours: bool = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable, default))


AWS = Service(
    "sqs-s3 (moto)",
    ("moto_server", "-H", "127.0.0.1", "-p", str(_port("PORT_AWS", 8005))),
    _port("PORT_AWS", 8005),
    ours=False,
)
UH_GATEWAY = Service(
    "uh-gateway",
    (sys.executable, "-m", "uh_gateway.main"),
    _port("PORT_UH_GATEWAY", 8003),
)
INCOME_API = Service(
    "income-api",
    (sys.executable, "-m", "income_api.main"),
    _port("PORT_INCOME_API", 8001),
)
FAKE_NOTIFY = Service(
    "fake-notify",
    (sys.executable, "-m", "fake_notify.main"),
    _port("PORT_FAKE_NOTIFY", 8004),
)
COMMS_API = Service(
    "comms-api",
    (sys.executable, "-m", "comms_api.main"),
    _port("PORT_COMMS_API", 8002),
)
FRONTEND = Service(
    "frontend",
    (sys.executable, "-m", "frontend.main"),
    _port("PORT_FRONTEND", 8000),
)
# Settings one service needs and another would misread (both call it DATABASE_URL).
SERVICE_ENV = {
    "comms-api": {"DATABASE_URL": f"sqlite:///{DATA}/comms-api.sqlite3"},
}
# In start order: each may need the ones before it.
SERVICES = [AWS, UH_GATEWAY, INCOME_API, FAKE_NOTIFY, COMMS_API, FRONTEND]


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
        if not service.ours:
            if port_in_use(service.port):
                return
        else:
            try:
                if httpx.get(service.url + HEALTH, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
        time.sleep(0.3)
    raise SystemExit(f"{service.name} did not become healthy within 60 s")


def first_sync() -> str:
    """Bring the worktray up to date with the simulated UH, as the nightly sync would."""
    token = mint_service_token("make-run", DEV_SERVICE_JWT_SECRET, dt.timedelta(minutes=30))
    headers = {"Authorization": f"Bearer {token}"}
    started = httpx.post(f"{INCOME_API.url}/api/v1/sync", json={}, headers=headers, timeout=10)
    if started.status_code != 202:
        return f"the first sync did not start: {started.json()['error']['message']}"
    status_url = INCOME_API.url + started.json()["status_url"]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job = httpx.get(status_url, headers=headers, timeout=10).json()
        if job["status"] != "running":
            return (
                f"synced {job['accounts_seen']} accounts in arrears in {job['seconds']:.1f} s "
                f"({job['status']}, {job['error_count']} account errors; see {status_url})"
            )
        time.sleep(0.5)
    return f"the first sync is still running: follow it at {status_url}"


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    DATA.mkdir(parents=True, exist_ok=True)
    env = {
        # moto's server accepts any credentials; boto3 only needs some to sign with.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        **os.environ,
        "AUTH_MODE": os.environ.get("AUTH_MODE", "dev"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{DATA}/income-api.sqlite3"),
        # comms-api's own settings (its database URL is set per service below).
        "NOTIFY_BASE_URL": FAKE_NOTIFY.url,
        "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY", LIVE_API_KEY),
        "UH_GATEWAY_URL": UH_GATEWAY.url,
        # The frontend's APIs.
        "INCOME_API_URL": INCOME_API.url,
        "COMMS_API_URL": COMMS_API.url,
        "SQS_ENDPOINT_URL": AWS.url,
        # comms-api keeps letter PDFs in S3, here moto's server, as in production.
        "DOCUMENT_STORE": os.environ.get("DOCUMENT_STORE", "s3"),
        "S3_ENDPOINT_URL": AWS.url,
        "UH_DATABASE_URL": os.environ.get("UH_DATABASE_URL", f"sqlite:///{DATA}/uh.sqlite3"),
        "GATEWAY_DATABASE_URL": os.environ.get(
            "GATEWAY_DATABASE_URL", f"sqlite:///{DATA}/uh-gateway.sqlite3"
        ),
    }
    busy = [f"{s.name} ({s.port})" for s in SERVICES if port_in_use(s.port)]
    if busy:
        raise SystemExit(
            f"Port in use for {', '.join(busy)}: is another `make run` still going? "
            "Stop it, or choose ports with PORT_AWS=…, PORT_UH_GATEWAY=…, PORT_INCOME_API=…, "
            "PORT_FAKE_NOTIFY=…, PORT_COMMS_API=…, PORT_FRONTEND=…"
        )
    build_uh_simulator(env)
    processes: list[tuple[Service, subprocess.Popen[bytes]]] = []
    try:
        for service in SERVICES:
            process = subprocess.Popen(
                service.command,
                env={**env, "PORT": str(service.port), **SERVICE_ENV.get(service.name, {})},
                stdout=(DATA / f"{service.name.split()[0]}.log").open("ab"),
                stderr=subprocess.STDOUT,
            )
            processes.append((service, process))
            wait_until_healthy(service, process)
        logger.info("Syncing arrears cases from the simulated UH…")
        synced = first_sync()
        lines = ["", "Manage Arrears is running:"]
        for service in SERVICES:
            docs = (
                f"  (API docs {service.url}/api/v1/docs)"
                if service.ours and service is not FRONTEND
                else ""
            )
            lines.append(f"  {service.name:<14} {service.url}{docs}")
        lines.append(f"income-api {synced}.")
        lines += [
            "",
            f"Sign in at {FRONTEND.url}/sign-in (choose a role).",
            "",
            "APIs take a bearer token. Mint one for a role with",
            "  make token ROLE=rent        (also leasehold, team-leader, read-only, service)",
            "then, for example:",
            '  curl -H "Authorization: Bearer $(make -s token ROLE=rent)" \\',
            f"       '{INCOME_API.url}/api/v1/cases?service_area=rent&per_page=5'",
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
