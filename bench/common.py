"""What the benchmark scripts share: paths, the seed CLI, a real gateway server, statistics,
Markdown tables and the JSON record of raw numbers.

The scripts are run as `uv run python bench/<script>.py`; each one puts the repository root on
`sys.path` first so that `bench.common` imports the same way at run time and under mypy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

from ma_shared.auth import mint_dev_token
from ma_shared.settings import AuthMode, ServiceSettings
from ma_shared.testing import free_port

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATA = ROOT / "data" / "bench"
OUT = ROOT / "bench" / "out"
HEALTH_PATH = "/api/v1/healthcheck/ping"
# The simulated 'today' of every bench database, so they are reproducible byte for byte (the
# simulator dates everything relative to it). Override with BENCH_AS_OF=YYYY-MM-DD.
BENCH_AS_OF = dt.date.fromisoformat(os.environ.get("BENCH_AS_OF", "2025-06-11"))

logger = logging.getLogger("bench")


def configure_logging(verbose: bool = False) -> None:
    """Progress goes to stderr; stdout is kept for the Markdown tables."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    # One line per request would drown the progress messages.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def handle_signals() -> None:
    """SIGTERM and SIGINT (even when started in the background, where the shell ignores it)
    unwind normally, so the gateway servers we started are stopped on the way out."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)


# Databases ---------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise ValueError(f"not a SQLite file URL: {url}")
    return Path(url.removeprefix("sqlite:///"))


def size_label(rent_accounts: int) -> str:
    """10000 -> '10k', 2500 -> '2.5k'."""
    thousands = rent_accounts / 1000
    return f"{thousands:g}k"


def bench_database(rent_accounts: int) -> Path:
    """The SQLite file for a bench-profile database of this many rent accounts."""
    return BENCH_DATA / f"uh-bench-{size_label(rent_accounts)}.sqlite3"


def file_size(path: Path) -> int:
    """Bytes on disk, the write-ahead log included (it holds pages not yet checkpointed)."""
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        if candidate.exists():
            total += candidate.stat().st_size
    return total


def postgres_conninfo(url: str) -> str:
    """A SQLAlchemy `postgresql+psycopg://` URL as psycopg's own connection string."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        return file_size(sqlite_path(url))
    with psycopg.connect(postgres_conninfo(url)) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def seed_command() -> list[str]:
    """The `uh-gateway-seed` console script of this environment (or the module behind it)."""
    script = Path(sys.executable).with_name("uh-gateway-seed")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "uh_gateway.seed"]


@dataclass(frozen=True)
class SeedRequest:
    profile: str
    database_url: str
    rent_accounts: int | None = None
    leasehold_accounts: int | None = None
    as_of: dt.date | None = None
    seed: int | None = None

    def argv(self, *, force: bool) -> list[str]:
        args = [*seed_command(), "--profile", self.profile, "--database-url", self.database_url]
        if self.rent_accounts is not None:
            args += ["--rent-accounts", str(self.rent_accounts)]
        if self.leasehold_accounts is not None:
            args += ["--leasehold-accounts", str(self.leasehold_accounts)]
        if self.as_of is not None:
            args += ["--as-of", self.as_of.isoformat()]
        if self.seed is not None:
            args += ["--seed", str(self.seed)]
        args.append("--force" if force else "--if-absent")
        return args


def run_seed(request: SeedRequest, *, force: bool = True) -> float:
    """Build a simulator database with the seed CLI; wall-clock seconds, process start
    included (what a developer waits for). Its output goes to our stderr."""
    argv = request.argv(force=force)
    logger.info("building: %s", " ".join(argv[1:]))
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=sys.stderr, cwd=ROOT)
    return time.perf_counter() - started


def ensure_bench_database(rent_accounts: int, *, default_bench_size: int = 30_000) -> Path:
    """data/bench/uh-bench-<n>k.sqlite3, built with the bench profile if it is absent.

    The profile's own size is built with its defaults (so the 30k file is the same as
    `make seed PROFILE=bench` would make on BENCH_AS_OF); other sizes scale leasehold accounts
    with rent (a third, as the bench profile has)."""
    path = bench_database(rent_accounts)
    if path.exists():
        return path
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    custom = rent_accounts != default_bench_size
    request = SeedRequest(
        profile="bench",
        database_url=sqlite_url(path),
        rent_accounts=rent_accounts if custom else None,
        leasehold_accounts=rent_accounts // 3 if custom else None,
        as_of=BENCH_AS_OF,
    )
    seconds = run_seed(request, force=False)
    logger.info("built %s in %.1f s", path.name, seconds)
    return path


def sqlite_tenancy_refs(path: Path) -> list[str]:
    """Every tenancy ref in a simulator database, trimmed (UH pads char columns)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [row[0].rstrip() for row in conn.execute("SELECT tag_ref FROM tenagree")]


# The gateway as a real server ---------------------------------------------------------------


def dev_token(role: str = "read-only") -> str:
    return mint_dev_token(role, ServiceSettings(auth_mode=AuthMode.DEV))


@dataclass(frozen=True)
class Gateway:
    base_url: str
    token: str
    log_path: Path

    def client(self, timeout: float = 120.0) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=timeout,
        )


@dataclass(frozen=True)
class Server:
    """A service started as a real process by `service_process`."""

    name: str
    base_url: str
    pid: int
    log_path: Path


@contextlib.contextmanager
def service_process(
    name: str, module: str, env: dict[str, str], *, workdir: Path | None = None
) -> Iterator[Server]:
    """`python -m <module>` on a free port (`PORT`), `AUTH_MODE=dev`, with `env` on top of
    ours; its log goes to a file in `workdir` (a throwaway directory if not given). Started
    and stopped by its own pid; waits until its health check answers 200."""
    own_workdir = workdir is None
    directory = Path(tempfile.mkdtemp(prefix=f"bench-{name}-")) if workdir is None else workdir
    port = free_port()
    log_path = directory / f"{name}.log"
    full_env = {**os.environ, "AUTH_MODE": "dev", "PORT": str(port), **env}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    server = Server(name, f"http://127.0.0.1:{port}", process.pid, log_path)
    try:
        _wait_until_healthy(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if own_workdir:
            shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def gateway_server(uh_database_url: str, *, log_level: str = "INFO") -> Iterator[Gateway]:
    """`python -m uh_gateway.main` on a free port in front of `uh_database_url`, with its own
    throwaway gateway database; stopped (by its pid) and its directory removed on exit. Its
    log goes to a file, as `make run` does: request logging is part of the cost measured."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    env = {
        "UH_DATABASE_URL": uh_database_url,
        "GATEWAY_DATABASE_URL": sqlite_url(workdir / "gateway.sqlite3"),
        "LOG_LEVEL": log_level,
    }
    try:
        with service_process("uh-gateway", "uh_gateway.main", env, workdir=workdir) as server:
            gateway = Gateway(server.base_url, dev_token(), server.log_path)
            logger.info(
                "gateway up at %s (pid %d) on %s", gateway.base_url, server.pid, uh_database_url
            )
            yield gateway
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_healthy(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = server.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} stopped while starting:\n{tail}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(server.base_url + HEALTH_PATH, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not become healthy within 120 s")


# income-api as a real server ---------------------------------------------------------------


@dataclass(frozen=True)
class IncomeApi:
    base_url: str
    database_url: str
    log_path: Path

    def client(self, role: str = "read-only", timeout: float = 600.0) -> httpx.Client:
        """A keep-alive client with a dev token for `role` ("rent", "leasehold",
        "team-leader", "read-only")."""
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {dev_token(role)}"},
            timeout=timeout,
        )


@contextlib.contextmanager
def income_api_server(
    database_url: str,
    uh_gateway_url: str,
    *,
    classification_date: dt.date = BENCH_AS_OF,
    log_level: str = "INFO",
) -> Iterator[IncomeApi]:
    """`python -m income_api.main` on a free port over `database_url` (migrated as it starts),
    talking to the gateway at `uh_gateway_url`; no scheduler (syncs only when asked), no SQS
    (case events stay in the outbox), "today" pinned to the bench databases' day. The
    database is the caller's: it outlives the process."""
    env = {
        "DATABASE_URL": database_url,
        "UH_GATEWAY_URL": uh_gateway_url,
        "SCHEDULER_ENABLED": "false",
        # Empty reaches the setting as "" (pydantic-settings does not make it None), which the
        # service treats as no queue: no SQS publisher.
        "CASE_EVENTS_QUEUE_NAME": "",
        "CLASSIFICATION_DATE": classification_date.isoformat(),
        "LOG_LEVEL": log_level,
    }
    with service_process("income-api", "income_api.main", env) as server:
        logger.info("income-api up at %s (pid %d)", server.base_url, server.pid)
        yield IncomeApi(server.base_url, database_url, server.log_path)


JOB_SUCCEEDED = frozenset({"succeeded", "completed_with_errors"})
JOB_FINISHED = JOB_SUCCEEDED | {"failed", "abandoned"}


def run_sync(
    client: httpx.Client, *, kind: str = "full_sync", poll_seconds: float = 0.1
) -> tuple[float, dict[str, Any]]:
    """`POST /api/v1/sync` (the client must be a team leader's), then `GET /api/v1/jobs/{id}`
    every `poll_seconds` until the run has finished: (wall-clock seconds, the job run)."""
    started = time.perf_counter()
    response = client.post("/api/v1/sync", json={"kind": kind})
    response.raise_for_status()
    job_id = response.json()["job_run_id"]
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}")
        job.raise_for_status()
        body: dict[str, Any] = job.json()
        if body["status"] in JOB_FINISHED:
            return time.perf_counter() - started, body
        time.sleep(poll_seconds)


def sync_income_api(api: IncomeApi) -> dict[str, Any]:
    """A full sync through income-api's API, as a team leader; the job run. Raises with the
    tail of the service's log if the run failed (some accounts failing is not a failure)."""
    with api.client("team-leader") as client:
        seconds, job = run_sync(client)
    if job["status"] not in JOB_SUCCEEDED:
        tail = api.log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"the sync {job['status']}: {job['message']}\n{tail}")
    logger.info(
        "synced %d accounts in %.1f s (%d errors)",
        job["accounts_seen"],
        seconds,
        job["error_count"],
    )
    return job


# Statistics --------------------------------------------------------------------------------


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def spread(values: Sequence[float]) -> str:
    """'min-max' of repeated runs, to show how noisy the machine was."""
    if not values:
        return "-"
    return f"{min(values):.2f}-{max(values):.2f}"


# Output ------------------------------------------------------------------------------------


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def passed(ok: bool | None) -> str:
    if ok is None:
        return "n/a"
    return "PASS" if ok else "FAIL"


def machine() -> dict[str, Any]:
    """Where and when the numbers were taken (the load average says how noisy it was)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    # Which uncommitted code was measured (services are edited while benchmarks run): equal
    # fingerprints, equal code.
    diff = subprocess.run(
        ["git", "diff", "HEAD", "--", "services", "shared"],
        capture_output=True,
        cwd=ROOT,
    ).stdout
    return {
        "taken_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        "git_commit": commit or None,
        "uncommitted_changes": bool(changed),
        "uncommitted_diff_sha256": hashlib.sha256(diff).hexdigest()[:16] if diff else None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def write_json(name: str, data: dict[str, Any]) -> Path:
    """bench/out/<name>-<UTC time>.json: the raw numbers behind a table."""
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = OUT / f"{name}-{stamp}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2, default=str) + "\n")
    logger.info("raw numbers: %s", path.relative_to(ROOT))
    return path
