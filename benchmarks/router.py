"""Router throughput: routing decisions per second per core over the shipped sample (pure, no broker)."""

from __future__ import annotations

import io
import time

from services.router.cli import SAMPLE_REPORTS, read_reports
from services.router.domain import decide_route
from services.router.geo import Gazetteer
from services.router.rules import load_ruleset


def main(rounds: int = 20) -> int:
    rules, gazetteer = load_ruleset(), Gazetteer.load()
    with SAMPLE_REPORTS.open(encoding="utf-8") as f:
        reports = list(read_reports(f, err=io.StringIO()))
    decide_route(reports[0], rules, gazetteer)  # build the classifier outside the timing
    started = time.process_time()  # CPU time of this process: one core
    for _ in range(rounds):
        for report in reports:
            decide_route(report, rules, gazetteer)
    elapsed = time.process_time() - started
    rate = rounds * len(reports) / elapsed
    print(f"router: {rate:,.0f} decisions/s/core ({len(reports)} sample reports x {rounds} rounds, CPU time)")
    return 0


if __name__ == "__main__":
    main()
