"""Router throughput: routing decisions per second over the shipped sample (pure logic, no broker)."""

from __future__ import annotations

import time

from services.router.cli import SAMPLE_REPORTS, read_reports
from services.router.domain import decide_route
from services.router.geo import Gazetteer
from services.router.rules import load_ruleset


def main(rounds: int = 20) -> float:
    rules, gazetteer = load_ruleset(), Gazetteer.load()
    with SAMPLE_REPORTS.open(encoding="utf-8") as f:
        reports = list(read_reports(f, err=open("/dev/null", "w")))  # noqa: SIM115
    decide_route(reports[0], rules, gazetteer)  # build the classifier outside the timing
    started = time.perf_counter()
    for _ in range(rounds):
        for report in reports:
            decide_route(report, rules, gazetteer)
    elapsed = time.perf_counter() - started
    rate = rounds * len(reports) / elapsed
    print(f"router: {rate:,.0f} decisions/second ({len(reports)} sample reports x {rounds} rounds)")
    return rate


if __name__ == "__main__":
    main()
