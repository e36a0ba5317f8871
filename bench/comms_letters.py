"""Letter PDFs rendered a second: comms-api's rent letter 1 from data to an A4 PDF.

Rent letter 1 (`income_collection_letter_1`, one page) with complete data (the tenant, address
and balances of comms-api's letter tests), on one fixed day, `--repeats` runs of `--letters`
each, the measurements taking turns run by run so a noisy neighbour slows them alike:

* **HTML**: `comms_api.domain.letters.render_letter` alone (checks, formatting, Jinja), over
  `--html-letters` letters;
* **PDF, one process**: `render_letter` then `comms_api.gateways.pdf.render_pdf` (WeasyPrint);
* **PDF, `--processes` processes**: the same, one letter a task, in a pool of processes started
  (and warmed up) before timing, as a bulk run would use the machine's cores;
* **preview**: `preview_pages` of the letter's PDF (its page as a PNG at 96 dpi, PDFium), what
  a caseworker's preview adds to the PDF;
* **baseline**: `render_pdf` of a trivial one-paragraph page, in one process and in the pool:
  what WeasyPrint costs for nothing, so the letter's own cost shows.

Rates are medians over runs, with the min-max spread. Target: **>= 20 PDFs a second on 2
cores**.

    uv run python bench/comms_letters.py [--letters 40] [--repeats 3] [--processes 2]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import datetime as dt
import logging
import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.common import (
    configure_logging,
    handle_signals,
    markdown_table,
    median,
    passed,
    spread,
    write_json,
)
from comms_api.domain.letters import TemplateId, render_letter
from comms_api.gateways.pdf import page_count, preview_pages, render_pdf

logger = logging.getLogger("bench.comms_letters")

TARGET_PDFS_PER_SECOND = 20.0
TEMPLATE = TemplateId.INCOME_COLLECTION_LETTER_1
TODAY = dt.date(2026, 8, 14)
# As comms-api's letter tests have it (tests/letters/conftest.py): every field a rent letter
# may need, so the letter has nothing missing.
RENT_LETTER_DATA: dict[str, object] = {
    "tenancy_ref": "0123456/01",
    "payment_ref": "1234567890",
    "title": "Ms",
    "forename": "Amira",
    "surname": "Okafor",
    "address_line1": "Flat 12",
    "address_line2": "Banister House",
    "address_line3": "Homerton High Street",
    "address_line4": "London",
    "address_line5": "",
    "address_post_code": "e9 6bd",
    "total_collectable_arrears_balance": "1234.56",
    "rent": "125.40",
    "agreement_frequency": "monthly",
    "amount": "20",
    "date_of_first_payment": "2026-09-01",
    "created_date": "2026-05-01",
    "expected_balance": "800",
    "checked_balance": "950.5",
    "court_date": "2026-10-14T10:30:00",
    "date_of_breach": "2026-07-06",
    "court_outcome": "SOT",
    "balance_on_court_outcome_date": "1500",
}
TRIVIAL_HTML = "<!doctype html><html><body><p>Dear tenant, please pay your rent.</p></body></html>"


@dataclass
class Options:
    letters: int = 40
    html_letters: int = 400
    repeats: int = 3
    processes: int = 2


@dataclass
class Measure:
    name: str
    items: int
    seconds: list[float]

    def rates(self) -> list[float]:
        return [self.items / s for s in self.seconds]

    @property
    def per_second(self) -> float:
        return median(self.rates())

    @property
    def ms_each(self) -> float:
        return median(self.seconds) / self.items * 1000


def letter_html() -> str:
    return render_letter(TEMPLATE, RENT_LETTER_DATA, today=TODAY).html


def letter_pdf(_: int = 0) -> int:
    """One letter from data to PDF; its size (returned so a pool sends back little)."""
    return len(render_pdf(letter_html()))


def trivial_pdf(_: int = 0) -> int:
    return len(render_pdf(TRIVIAL_HTML))


def _warm_up() -> None:
    """Fonts, Pango and the templates loaded before anything is timed."""
    letter_pdf()
    trivial_pdf()


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(options: Options) -> dict[str, Any]:
    # WeasyPrint logs every step of every render at INFO: noise, whose cost would be timed too
    # (the pool's processes log nothing).
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    _warm_up()
    pdf = render_pdf(letter_html())
    pages = page_count(pdf)
    n, p = options.letters, options.processes
    measures = {
        "html": Measure("HTML only (`render_letter`)", options.html_letters, []),
        "pdf": Measure("letter PDF, one process", n, []),
        "pdf_pool": Measure(f"letter PDF, {p} processes", n, []),
        "preview": Measure("page images of the PDF (`preview_pages`, 96 dpi)", n, []),
        "baseline": Measure("baseline: trivial one-paragraph PDF, one process", n, []),
        "baseline_pool": Measure(f"baseline: trivial one-paragraph PDF, {p} processes", n, []),
    }
    # Spawned, not forked: a fork would copy the parent's fontconfig and Pango state mid-use.
    context = multiprocessing.get_context("spawn")
    with context.Pool(p, initializer=_warm_up) as pool:
        pool.map(trivial_pdf, range(p * 2), chunksize=1)  # every process started and warm
        timings: dict[str, Callable[[], object]] = {
            "baseline": lambda: [trivial_pdf() for _ in range(n)],
            "html": lambda: [letter_html() for _ in range(options.html_letters)],
            "pdf": lambda: [letter_pdf() for _ in range(n)],
            "pdf_pool": lambda: pool.map(letter_pdf, range(n), chunksize=1),
            "baseline_pool": lambda: pool.map(trivial_pdf, range(n), chunksize=1),
            "preview": lambda: [preview_pages(pdf) for _ in range(n)],
        }
        for run_number in range(1, options.repeats + 1):
            for key, action in timings.items():
                measures[key].seconds.append(_timed(action))
            logger.info(
                "run %d/%d: %s",
                run_number,
                options.repeats,
                ", ".join(f"{key} {m.rates()[-1]:.1f}/s" for key, m in measures.items()),
            )
    report: dict[str, Any] = {
        "options": asdict(options),
        "template": TEMPLATE.value,
        "pages": pages,
        "pdf_bytes": len(pdf),
        "measures": {
            key: {
                "name": m.name,
                "items": m.items,
                "seconds": m.seconds,
                "per_second": m.per_second,
                "ms_each": m.ms_each,
            }
            for key, m in measures.items()
        },
    }
    report["markdown"] = render(measures, options, pages=pages, pdf_bytes=len(pdf))
    report["json_path"] = str(write_json("comms_letters", report))
    return report


def render(measures: dict[str, Measure], options: Options, *, pages: int, pdf_bytes: int) -> str:
    rows = [
        [
            m.name,
            m.items,
            f"{median(m.seconds):.2f} ({spread(m.seconds)})",
            f"{m.per_second:,.1f} ({spread(m.rates())})",
            f"{m.ms_each:.1f}",
        ]
        for m in measures.values()
    ]
    table = markdown_table(
        ["what", "per run", "median s (min-max)", "per second (min-max)", "ms each"], rows
    )
    pool, one, baseline = measures["pdf_pool"], measures["pdf"], measures["baseline"]
    ok = pool.per_second >= TARGET_PDFS_PER_SECOND
    return "\n".join(
        [
            f"### Letter PDFs: rent letter 1 ({options.processes} processes)",
            "",
            f"`{TEMPLATE.value}` with complete data, {pages} page(s), {pdf_bytes:,} bytes; "
            f"median of {options.repeats} runs, the measurements taking turns run by run, "
            "after a warm-up; the pool's processes started and warmed before timing.",
            "",
            table,
            "",
            f"Target: >= {TARGET_PDFS_PER_SECOND:g} letter PDFs a second on {options.processes} "
            f"processes: {pool.per_second:.1f} — {passed(ok)} "
            f"({pool.per_second / one.per_second:.2f}x one process; WeasyPrint's floor is "
            f"{baseline.ms_each:.0f} ms a PDF, the letter {one.ms_each - baseline.ms_each:.0f} ms "
            "more).",
        ]
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--letters", type=int, default=40, help="PDFs per run")
    parser.add_argument("--html-letters", type=int, default=400, help="HTML letters per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(
        letters=args.letters,
        html_letters=args.html_letters,
        repeats=args.repeats,
        processes=args.processes,
    )


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
