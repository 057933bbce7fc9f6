"""Peak memory and time of reading hostile inputs: the workbooks and the spec an attacker would send.

    .venv/bin/python bench/hostile_inputs.py

Each input is read in a child process (``unadocs.load.read_learners`` or
``load_spec``), which must refuse it with a clear message; the script prints
the message, the child's peak RSS and the wall time. Before the bounded
readers, the first three workbooks took 12 GB, 4 GB and 3 GB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for its test helpers

from tests.load.hostile_workbooks import blank_cells, long_cell, long_shared_string, workbook  # noqa: E402


_CHILD = """
import resource, sys, time
from unadocs.errors import UnadocsError
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
try:
    if kind == "learners":
        from unadocs.load import read_learners
        for _ in read_learners(path):
            pass
        outcome = "read (not refused!)"
    else:
        from unadocs.load import load_spec
        load_spec(path)
        outcome = "loaded (not refused!)"
except UnadocsError as exc:
    outcome = str(exc).splitlines()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{time.perf_counter() - start:.2f}|{peak:.0f}|{outcome}")
"""


def measure(kind: str, path: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, outcome) of reading ``path`` in a fresh child process (its own peak)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path)], capture_output=True, text=True, check=True)
    seconds, peak, outcome = done.stdout.strip().split("|", 2)
    return float(seconds), float(peak), outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        strings_sheet, strings = long_shared_string(1024 * 1024 * 1024)
        cases = [
            ("learners", "one row of 50 million blank cells",
             workbook(folder / "blank.xlsx", blank_cells(50_000_000))),
            ("learners", "4 MB of whitespace in a cell", workbook(folder / "space.xlsx", long_cell(4 * 1024 * 1024))),
            ("learners", "a 1 GiB shared string", workbook(folder / "gib.xlsx", strings_sheet, strings)),
            ("learners", "one CSV line of 100 MB",
             _write(folder / "line.csv", b"learner_id,given_names,family_name,issued\n", b"," * 1_000_000, 100)),
            ("spec", "a 50 MB spec", _write(folder / "big.yaml", b"# ", b"x" * 1_000_000, 50)),
            ("spec", "500 nested lists", _write(folder / "deep.yaml", b"a: " + b"[" * 500 + b"]" * 500 + b"\n")),
        ]
        print(f"{'input':38} {'file':>9} {'time':>7} {'peak RSS':>9}  outcome")
        for kind, label, path in cases:
            seconds, peak, outcome = measure(kind, path)
            size = path.stat().st_size
            print(f"{label:38} {size / 1024:>7.0f}kB {seconds:>6.2f}s {peak:>7.0f}MB  {outcome.split(': ', 1)[-1][:90]}")


def _write(path: Path, head: bytes, block: bytes = b"", times: int = 0) -> Path:
    """A file of ``head`` and ``times`` copies of ``block``, written without holding it whole
    (a child's peak RSS starts from its parent's: this process must stay small)."""
    with path.open("wb") as out:
        out.write(head)
        for _ in range(times):
            out.write(block)
    return path


if __name__ == "__main__":
    main()
