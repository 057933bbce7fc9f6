"""How long `import unadocs` and `unadocs --version` take, in fresh processes.

Prints the median, minimum and maximum wall time of N runs of each (default
20; `python bench/import_time.py 50`). The target for `import unadocs` is
under 0.3 s; `python -X importtime -c "import unadocs"` shows where time goes.
A benchmark prints figures; it does not pass or fail.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timings(command: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of each of ``runs`` runs of a command."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    script = shutil.which("unadocs", path=str(Path(sys.executable).parent)) or "unadocs"
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "python -c 'import unadocs'": [sys.executable, "-c", "import unadocs"],
        "unadocs --version": [script, "--version"],
    }
    print(f"{runs} runs each, seconds")
    print(f"{'command':<30} {'median':>8} {'min':>8} {'max':>8}")
    for label, command in commands.items():
        times = timings(command, runs)
        print(f"{label:<30} {statistics.median(times):8.3f} {min(times):8.3f} {max(times):8.3f}")


if __name__ == "__main__":
    main()
