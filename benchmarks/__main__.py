"""Runs every benchmark module in this folder (``python -m benchmarks``, ``make bench``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        run = getattr(module, "main", None)
        if run is None:
            continue
        print(f"== benchmarks.{name}", flush=True)
        failed += int(run() or 0) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
