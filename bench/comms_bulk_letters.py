"""Bulk letters: a caseworker's batch of 1,000 payment references previewed (every row looked
up in UH and its letter checked) and then sent, through real processes: uh-gateway on the
bench UH database, the fake Notify, and comms-api.

Figures: the batch preview's wall time (target under 15 s for 1,000 references), median of
`--repeats` batches; then "send all valid" of one batch until every letter is at Notify
(letters per second: each is rendered to a PDF, stored, posted and recorded). Baseline in the
same run: uh-gateway's bulk letter-data call for the same references alone.

    uv run python bench/comms_bulk_letters.py [--refs 1000] [--repeats 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from bench.common import (
    configure_logging,
    dev_token,
    ensure_bench_database,
    gateway_server,
    handle_signals,
    markdown_table,
    median,
    service_process,
    spread,
    sqlite_url,
    timed,
    write_json,
)
from fake_notify.config import LIVE_API_KEY
from fake_notify.testing import FakeNotifyAdmin

logger = logging.getLogger("bench.comms_bulk_letters")

TEMPLATE = "income_collection_letter_1"


@dataclass
class Options:
    refs: int = 1000
    repeats: int = 3
    rent_accounts: int = 30_000
    send_timeout: float = 900.0


def payment_refs(gateway_url: str, count: int) -> list[str]:
    """Rent accounts in arrears, as a caseworker would paste them."""
    refs: list[str] = []
    with httpx.Client(
        base_url=gateway_url, headers={"Authorization": f"Bearer {dev_token()}"}, timeout=120
    ) as client:
        cursor: str | None = None
        while len(refs) < count:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/api/v1/arrears-criteria/rent", params=params).json()
            refs += [row["payment_ref"] for row in page["results"] if row["payment_ref"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
    return refs[:count]


def run(options: Options) -> dict[str, Any]:
    uh = ensure_bench_database(options.rent_accounts)
    rent = {"Authorization": f"Bearer {dev_token('rent')}"}
    with (
        tempfile.TemporaryDirectory(prefix="bench-comms-bulk-") as directory,
        gateway_server(sqlite_url(uh), log_level="WARNING") as gateway,
    ):
        workdir = Path(directory)
        refs = payment_refs(gateway.base_url, options.refs)
        with service_process("fake-notify", "fake_notify.main", {}, workdir=workdir) as fake:
            env = {
                "DATABASE_URL": sqlite_url(workdir / "comms-api.sqlite3"),
                "NOTIFY_BASE_URL": fake.base_url,
                "NOTIFY_API_KEY": LIVE_API_KEY,
                "UH_GATEWAY_URL": gateway.base_url,
                "WORKER_ENABLED": "true",
                "DOCUMENT_STORE": "folder",
                "DOCUMENTS_FOLDER": str(workdir / "documents"),
                "COMMS_REQUESTS_ENABLED": "false",
                "LOG_LEVEL": "WARNING",
            }
            with (
                service_process("comms-api", "comms_api.main", env, workdir=workdir) as comms,
                httpx.Client(base_url=comms.base_url, headers=rent, timeout=600) as client,
                gateway.client(timeout=600) as uh_client,
            ):
                baseline = [
                    timed(
                        lambda: uh_client.post(
                            "/api/v1/letter-data/search",
                            json={"service_area": "rent", "payment_refs": refs},
                        ).raise_for_status()
                    )[0]
                    for _ in range(options.repeats)
                ]
                previews: list[float] = []
                batch: dict[str, Any] = {}
                for _ in range(options.repeats):
                    seconds, response = timed(
                        lambda: client.post(
                            "/api/v1/letter-batches",
                            json={"template_id": TEMPLATE, "payment_refs": "\n".join(refs)},
                        )
                    )
                    response.raise_for_status()
                    previews.append(seconds)
                    batch = response.json()
                logger.info(
                    "batch preview of %d refs: %s s; %d valid",
                    len(refs),
                    [round(s, 2) for s in previews],
                    batch["valid_count"],
                )
                problems = Counter(
                    problem["code"] for row in batch["rows"] for problem in row["problems"]
                )
                started = time.perf_counter()
                client.post(f"/api/v1/letter-batches/{batch['id']}/send").raise_for_status()
                statuses: Counter[str] = Counter()
                while time.perf_counter() - started < options.send_timeout:
                    shown = client.get(f"/api/v1/letter-batches/{batch['id']}").json()
                    statuses = Counter(
                        row["message_status"] or row["status"] for row in shown["rows"]
                    )
                    if not statuses.get("queued") and not statuses.get("accepted"):
                        break
                    time.sleep(1)
                send_seconds = time.perf_counter() - started
            posted = FakeNotifyAdmin(fake.base_url).sent(type="letter")
    report: dict[str, Any] = {
        "options": asdict(options),
        "refs": len(refs),
        "valid": batch["valid_count"],
        "problems": dict(problems),
        "gateway_letter_data_s": baseline,
        "batch_preview_s": previews,
        "send_all_s": send_seconds,
        "row_statuses_after_send": dict(statuses),
        "letters_at_fake": len(posted),
        "duplicates": len(posted) - len({p["reference"] for p in posted}),
        "letters_per_second": len(posted) / send_seconds if send_seconds else 0.0,
    }
    report["markdown"] = render(report)
    report["json_path"] = str(write_json("comms_bulk_letters", report))
    return report


def render(report: dict[str, Any]) -> str:
    rows = [
        [
            f"uh-gateway letter data, {report['refs']} refs (baseline)",
            f"{median(report['gateway_letter_data_s']):.2f} s",
            spread(report["gateway_letter_data_s"]),
        ],
        [
            f"batch preview, {report['refs']} refs ({report['valid']} valid)",
            f"{median(report['batch_preview_s']):.2f} s",
            spread(report["batch_preview_s"]),
        ],
        [
            f"send all valid: {report['letters_at_fake']} letters at Notify, "
            f"{report['duplicates']} duplicates",
            f"{report['send_all_s']:.1f} s ({report['letters_per_second']:.1f} letters/s)",
            "one run",
        ],
    ]
    problems = ", ".join(f"{code} {n}" for code, n in sorted(report["problems"].items()))
    return (
        markdown_table(["bulk letters", "median", "runs"], rows)
        + f"\n\nRow problems found: {problems or 'none'}.\n"
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--refs", type=int, default=Options.refs)
    parser.add_argument("--repeats", type=int, default=Options.repeats)
    parser.add_argument("--rent-accounts", type=int, default=Options.rent_accounts)
    args = parser.parse_args(argv)
    return Options(refs=args.refs, repeats=args.repeats, rent_accounts=args.rent_accounts)


def main(argv: Sequence[str] | None = None) -> None:
    configure_logging()
    handle_signals()
    print(run(parse_args(argv))["markdown"])


if __name__ == "__main__":
    main()
