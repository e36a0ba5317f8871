"""The rent classifier on its own: cases classified per second on one core.

Builds N synthetic cases (seeded random) spread over the whole escalation ladder, so every
rule fires and every guard is exercised, then times `classify_rent_case` over all of them
against one `now`, as the nightly sync does. Runs are interleaved with a floor: the same loop
calling a do-nothing function with the same arguments, which is what the loop and the call
alone cost in this interpreter on this machine.

    uv run python bench/classifier.py [--cases 200000] [--repeats 5] [--seed 20260917]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import collections
import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
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
from income_api.domain.rent_classifier import (
    AgreementFacts,
    CourtCaseFacts,
    DocumentFacts,
    RentCaseFacts,
    RentClassification,
    classify_rent_case,
)
from income_api.domain.terms import AgreementState, AgreementType, RentAction

logger = logging.getLogger("bench.classifier")

TARGET_CASES_PER_SECOND = 20_000
NOW = dt.datetime(2026, 9, 17, 2, 0, tzinfo=dt.UTC)  # the nightly sync's hour
TODAY = NOW.date()

Classify = Callable[..., RentClassification | None]


@dataclass
class Options:
    cases: int = 200_000
    repeats: int = 5
    seed: int = 20260917


# Synthetic cases -----------------------------------------------------------------------------

# Which part of the ladder a case is on, and how often (roughly a council's worktray: most
# cases are early on the ladder or have nothing due).
STAGES = (
    ("small arrears", 20),
    ("letters", 30),
    ("nosp", 15),
    ("court", 15),
    ("agreement", 20),
)
OUTCOMES = ("OPD", "OPF", "SOT", "ADT", "AGP", "AND", "AAH", "ADH", "STO", "WIT", "SOE", "", None)
TEMPLATES = ("income_collection_letter_1", "court_outcome_letter", "letter_1_in_arrears_FH")
# Breached twice as often as the others, so the breach rules get their share.
AGREEMENT_STATES = (
    AgreementState.LIVE,
    AgreementState.BREACHED,
    AgreementState.BREACHED,
    AgreementState.CANCELLED,
    AgreementState.COMPLETED,
)
DOCUMENT_STATUSES = ("validation-failed", "accepted", "received", "failure_reviewed")


class CaseMaker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def money(self, low: float, high: float) -> Decimal:
        return Decimal(round(self.rng.uniform(low, high), 2)).quantize(Decimal("0.01"))

    def days_ago(self, low: int, high: int) -> dt.datetime:
        """A diary time: half are bare dates (00:00), half have a time of day."""
        day = TODAY - dt.timedelta(days=self.rng.randint(low, high))
        hour = 0 if self.rng.random() < 0.5 else self.rng.randint(8, 18)
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)

    def contact(self, codes: Sequence[str], low: int, high: int) -> dict[str, Any]:
        if self.rng.random() < 0.15:
            return {}
        return {
            "last_communication_action": self.rng.choice(codes),
            "last_communication_date": self.days_ago(low, high),
        }

    def agreement(self, court_date: dt.datetime | None) -> AgreementFacts:
        kind = self.rng.choice((AgreementType.INFORMAL, AgreementType.FORMAL))
        state = self.rng.choice(AGREEMENT_STATES)
        base = court_date or self.days_ago(30, 400)
        start = base + dt.timedelta(days=self.rng.randint(-5, 20))
        return AgreementFacts(kind, state, start if self.rng.random() < 0.97 else None)

    def court_case(self) -> CourtCaseFacts:
        date = self.days_ago(-60, 2400) if self.rng.random() < 0.93 else None
        return CourtCaseFacts(
            court_date=date,
            court_outcome=self.rng.choice(OUTCOMES),
            terms=self.rng.choice((True, False, None)),
            strike_out_date=TODAY + dt.timedelta(days=self.rng.randint(-30, 300))
            if self.rng.random() < 0.1
            else None,
        )

    def case(self) -> RentCaseFacts:
        rng = self.rng
        rent = self.money(80, 220)
        stage = rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]
        values: dict[str, Any] = {
            "weekly_gross_rent": rent,
            "total_payment_amount_in_week": -rent if rng.random() < 0.3 else None,
            "days_since_last_payment": rng.choice((None, *range(0, 40))),
        }
        if stage == "small arrears":
            values["collectable_arrears"] = self.money(0, 12)
            values |= self.contact(("GAT", "GMS", "AMS", "SMS", "IC1", "VIM"), 0, 150)
        elif stage == "letters":
            values["collectable_arrears"] = self.money(5, 1200)
            values |= self.contact(("IC1", "S01", "IC2", "ZR2", "S0A", "GAT", "VIM"), 0, 150)
        elif stage == "nosp":
            values["collectable_arrears"] = self.money(100, 4000)
            values["nosp_served_date"] = TODAY - dt.timedelta(days=rng.randint(0, 600))
            values |= self.contact(("IC2", "IC4", "NTS", "GAT"), 0, 120)
            if rng.random() < 0.2:
                values["court_case"] = self.court_case()
        elif stage == "court":
            values["collectable_arrears"] = self.money(100, 6000)
            values["court_case"] = self.court_case()
            values["nosp_served_date"] = TODAY - dt.timedelta(days=rng.randint(90, 700))
            values |= self.contact(("IC4", "WPA", "IC6", "CBL", "GAT"), 0, 200)
            if rng.random() < 0.4:
                values["agreement"] = self.agreement(values["court_case"].court_date)
        else:
            values["collectable_arrears"] = self.money(20, 3000)
            court_case = self.court_case() if rng.random() < 0.5 else None
            values["court_case"] = court_case
            values["agreement"] = self.agreement(court_case.court_date if court_case else None)
            values |= self.contact(("BLI", "CBL", "CBV", "IC1", "GAT"), 0, 120)
            if rng.random() < 0.3:
                values["nosp_served_date"] = TODAY - dt.timedelta(days=rng.randint(0, 700))
        # What can hold any case, or put any case on the worktray.
        if rng.random() < 0.04:
            values["is_paused_until"] = NOW + dt.timedelta(days=rng.randint(-10, 30))
        if rng.random() < 0.01:
            values["eviction_date"] = TODAY + dt.timedelta(days=rng.randint(-30, 60))
        if rng.random() < 0.02:
            values["latest_document"] = DocumentFacts(
                status=rng.choice(DOCUMENT_STATUSES),
                template_id=rng.choice(TEMPLATES),
                updated_at=self.days_ago(0, 30),
            )
        if rng.random() < 0.01:
            values[rng.choice(("collectable_arrears", "weekly_gross_rent"))] = None
        return RentCaseFacts(**values)


def make_cases(count: int, seed: int) -> list[RentCaseFacts]:
    maker = CaseMaker(seed)
    return [maker.case() for _ in range(count)]


# Timing ----------------------------------------------------------------------------------------


def do_nothing(facts: RentCaseFacts, *, now: dt.datetime) -> None:
    return None


def time_loop(classify: Classify, cases: Sequence[RentCaseFacts]) -> float:
    now = NOW
    started = time.perf_counter()
    for facts in cases:
        classify(facts, now=now)
    return time.perf_counter() - started


def run(options: Options) -> dict[str, Any]:
    logger.info("building %d synthetic cases (seed %d)", options.cases, options.seed)
    cases = make_cases(options.cases, options.seed)
    results = [classify_rent_case(facts, now=NOW) for facts in cases]  # also the warm-up
    actions = collections.Counter(result.action for result in results)
    several = sum(1 for result in results if len(result.fired) > 1)
    classifier_seconds: list[float] = []
    floor_seconds: list[float] = []
    for repeat in range(1, options.repeats + 1):
        # Interleaved, so a noisy neighbour slows both alike.
        floor_seconds.append(time_loop(do_nothing, cases))
        classifier_seconds.append(time_loop(classify_rent_case, cases))
        logger.info(
            "run %d/%d: %.3f s, %s cases/s",
            repeat,
            options.repeats,
            classifier_seconds[-1],
            f"{options.cases / classifier_seconds[-1]:,.0f}",
        )
    seconds = median(classifier_seconds)
    rate = options.cases / seconds
    floor = median(floor_seconds)
    timing = markdown_table(
        ["cases", "runs", "median s (min-max)", "cases/s", "µs per case", "floor µs", "target"],
        [
            [
                options.cases,
                options.repeats,
                f"{seconds:.3f} ({spread(classifier_seconds)})",
                f"{rate:,.0f}",
                f"{seconds / options.cases * 1e6:.2f}",
                f"{floor / options.cases * 1e6:.2f}",
                f">= {TARGET_CASES_PER_SECOND:,}/s {passed(rate >= TARGET_CASES_PER_SECOND)}",
            ]
        ],
    )
    distribution = markdown_table(
        ["action", "cases", "share"],
        [
            [action.value, actions[action], f"{actions[action] / options.cases:.1%}"]
            for action in RentAction
        ],
    )
    markdown = "\n\n".join(
        [
            f"`classify_rent_case` over {options.cases:,} synthetic cases (seed {options.seed}),"
            f" one `now`, one core; median of {options.repeats} runs after a warm-up. Floor: the"
            " same loop calling a function that does nothing.",
            timing,
            f"Recommended actions ({several:,} cases had more than one rule fire):",
            distribution,
        ]
    )
    report: dict[str, Any] = {
        "options": vars(options),
        "classifier_seconds": classifier_seconds,
        "floor_seconds": floor_seconds,
        "cases_per_second": rate,
        "actions": {action.value: actions[action] for action in RentAction},
        "several_fired": several,
        "markdown": markdown,
    }
    report["json_path"] = str(write_json("classifier", report))
    return report


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Rent classifier cases per second")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260917)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handle_signals()
    return Options(cases=args.cases, repeats=args.repeats, seed=args.seed)


def main(argv: Sequence[str] | None = None) -> None:
    report = run(parse_args(argv))
    print(report["markdown"])


if __name__ == "__main__":
    main()
