"""Test support: throwaway real components on free ports.

* PostgreSQL from Debian's `postgresql` package, for the integration suite: its own server in
  a temporary directory (fsync off: the data is thrown away), removed afterwards.
* moto's server, the local stand-in for SQS and S3 (as `make run` uses), reached with boto3
  through `endpoint_url` exactly as AWS is.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg


class PostgresUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed: apt-get install -y postgresql (the CI script does)."
        )
    return Path(found[-1]).parent


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections for the whole block.

    A port from `free_port()` is only free at that instant: another test's server can take it
    and answer. Held bound without listening, this one is refused until the block ends.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def throwaway_postgres(databases: tuple[str, ...] = ("test",)) -> Iterator[dict[str, str]]:
    """Start a server, create `databases`, yield their SQLAlchemy URLs; stop and delete."""
    bin_dir = _binaries()
    workdir = Path(tempfile.mkdtemp(prefix="ma-postgres-"))
    data_dir = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    port = free_port()

    def run(*args: object) -> None:
        subprocess.run(
            _as_postgres_user([str(a) for a in args]), check=True, capture_output=True, text=True
        )

    try:
        run(bin_dir / "initdb", "-D", data_dir, "-A", "trust", "-U", "postgres", "--no-sync")
        run(
            bin_dir / "pg_ctl",
            "-D",
            data_dir,
            "-l",
            workdir / "server.log",
            "-w",
            "-o",
            f"-F -p {port} -k {workdir} -c listen_addresses=127.0.0.1 "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        )
        admin = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    for name in databases:
                        conn.execute(f'CREATE DATABASE "{name}"')
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield {name: f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}" for name in databases}
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            run(bin_dir / "pg_ctl", "-D", data_dir, "-m", "immediate", "-w", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def local_aws_server() -> Iterator[str]:
    """Start moto's server (SQS and S3) on a free port; yield its endpoint URL; stop it."""
    port = free_port()
    server = subprocess.Popen(
        [shutil.which("moto_server") or "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto_server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
