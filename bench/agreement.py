"""How long building the Consortium Agreement takes.

Prints the median (and min/max) time of N builds (default 20;
``python bench/agreement.py 50``) for the example spec and for a spec with
all eleven Una Europa members as partners, with the table of contents' page
numbers left to Word (``toc_pages="on-open"``): the goal is under 0.3 s for
the eleven-member agreement. The first build of a process, which also reads
and compiles the clause library and imports docxtpl, is shown separately.
Then the time of a build whose page numbers LibreOffice lays out (a few
seconds, dominated by LibreOffice; 3 runs, each a fresh layout), of the
drafting lint over every variant of the clause library, and of a redline
(``compare_agreements``) and its summary between the example and an
amendment of it (another fee, arbitration, an accession), and of one whose
cost text of 100,000 words is rewritten.
A benchmark prints figures; it does not pass or fail.
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from collections.abc import Callable
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
            unadocs.build_agreement(consortium, toc_pages="on-open")
            print(f"first build in this process (imports, clause library): {time.perf_counter() - start:.3f} s")
            first = False
        _report(f"build_agreement, {label}", runs, lambda: unadocs.build_agreement(consortium, toc_pages="on-open"))

    from unadocs.agreement.pagination import soffice

    example = unadocs.load_spec(SPECS["example (3 partners)"])
    if soffice() is None:
        print("LibreOffice is not installed: no figure for the laid-out table of contents")
    else:
        versions = iter(range(1, 1000))  # a new version each run: LibreOffice's layout is cached per document

        def laid_out() -> None:
            data = example.model_copy(update={"agreement": example.agreement.model_copy(
                update={"version": f"bench {next(versions)}"})})
            unadocs.build_agreement(data, toc_pages="libreoffice")

        _report("build_agreement with LibreOffice's page numbers, example", 3, laid_out)

    import yaml

    from unadocs.agreement import lint_library

    base = yaml.safe_load(SPECS["example (3 partners)"].read_text(encoding="utf-8"))
    _report("lint_library, every variant of clauses/variants.yaml", 3, lambda: lint_library(base))

    amended = copy.deepcopy(base)
    amended["agreement"].update(version="1.1", date="2026-03-02")
    amended["finance"]["fees"][1]["amount"] = "350 EUR"
    amended["law"]["disputes"] = "arbitration"
    amended["partners"].append({
        "id": "KUL", "member": "leuven",
        "coordinator": {"name": "Lies Peeters", "email": "lies.peeters@kuleuven.be"},
        "signatory": {"name": "Severine Vermeire", "title": "Rector"},
    })
    amended["finance"]["revenue_shares"] = {"UH": 40, "UNIBO": 20, "UJ": 20, "KUL": 20}
    amended["accession"]["accessions"] = [{"partner": "KUL", "date": "2026-09-01"}]
    new = unadocs.load_spec(amended)
    _report("compare_agreements, the example and an amendment", runs,
            lambda: unadocs.compare_agreements(example, new, toc_pages="on-open"))
    _report("agreement_changes, the same two", runs, lambda: unadocs.agreement_changes(example, new))

    # A text of the spec as long as a spec can hold in a few hundred kilobytes, rewritten between the versions:
    # one paragraph of some 100,000 words deleted and another inserted (time linear in its length, not square).
    words = [f"w{k % 997}" for k in range(100_000)]
    long_old, long_new = copy.deepcopy(base), copy.deepcopy(amended)
    long_old["finance"]["costs"] = " ".join(words)
    long_new["finance"]["costs"] = " ".join(reversed(words))
    old_long, new_long = unadocs.load_spec(long_old), unadocs.load_spec(long_new)
    _report("compare_agreements, a cost text of 100,000 words rewritten", 3,
            lambda: unadocs.compare_agreements(old_long, new_long, toc_pages="on-open"))


def _report(label: str, runs: int, job: Callable[[], object]) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    print(f"{label}: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, "
          f"{runs} runs)")


if __name__ == "__main__":
    main()
