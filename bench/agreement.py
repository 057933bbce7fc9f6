"""How long building the Consortium Agreement takes.

Prints the median (and min/max) time of N builds (default 20;
``python bench/agreement.py 50``) for the example spec and for a spec with
all eleven Una Europa members as partners. The goal is under 0.3 s for the
eleven-member agreement. The first build of a process, which also reads and
compiles the clause library and imports docxtpl, is shown separately.
A benchmark prints figures; it does not pass or fail.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = {
    "example (3 partners)": ROOT / "examples" / "sustainability.yaml",
    "eleven members": ROOT / "tests" / "fixtures" / "agreement" / "eleven-members.yaml",
}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    import unadocs

    first = True
    for label, path in SPECS.items():
        consortium = unadocs.load_spec(path)
        if first:
            start = time.perf_counter()
            unadocs.build_agreement(consortium)
            print(f"first build in this process (imports, clause library): {time.perf_counter() - start:.3f} s")
            first = False
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            unadocs.build_agreement(consortium)
            times.append(time.perf_counter() - start)
        print(f"build_agreement, {label}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}, {runs} runs)")


if __name__ == "__main__":
    main()
