"""Benchmark: issuing certificates one full render at a time, against the batch path.

    .venv/bin/python bench/certificates.py [-n 1000] [--sample 40] [--jobs N] [--eseal] [--spec SPEC]

Generates N learners for the example spec, or for ``--spec`` (for example
``examples/sustainability-bilingual.yaml``, a certificate in two languages),
approved so that the certificates are real, and prints, in one run:

* the naive baseline: one full WeasyPrint render of the same template per
  certificate (``render.direct_pdf``), sealed as usual, sequential, timed on a
  sample (at least 40), in certificates per second;
* the batch path with default settings (``unadocs certificates ... --combined``,
  as a user runs it) over all N learners: the PDFs, their JSON records and the
  combined print PDF, in certificates per second, wall clock;
* the ratio of the two;
* the peak RSS of the batch: the largest single process (getrusage of the
  children) and the whole process tree (sampled every 0.1 s);
* with ``--eseal``, the same batch again, each PDF sealed with a TEST eSeal
  (RSA 2048 in a PKCS#12 file, as trust service providers issue them; PAdES
  B-B), and its ratio to the naive baseline.

It prints figures and asserts nothing: performance is measured here, not in
the test suite.
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIVEN = ["Siobhán", "Łukasz", "Zoë", "Jean-Baptiste", "Αικατερίνη", "Дмитрий", "Ana María", "Oğuz", "Björk",
         "Małgorzata", "Ioana", "Žofie", "Nikolaos", "Анастасия", "Eero", "Chiara"]
FAMILY = ["Ní Bhriain", "Żółkiewski", "O'Brien-Müller", "Lefèvre d'Ormesson", "Παπαδοπούλου", "Кузнецов",
          "García Márquez", "Yıldırım", "Guðmundsdóttir", "Wiśniewska", "Popescu", "Nováková", "Georgiou",
          "Смирнова", "Mäkinen", "Bianchi"]


def write_learners(path: Path, count: int) -> None:
    start = date(2026, 1, 20)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["learner_id", "given_names", "family_name", "date_of_birth", "email", "issued", "grade"])
        for i in range(count):
            given, family = GIVEN[i % len(GIVEN)], FAMILY[(i * 7) % len(FAMILY)]
            if i % 97 == 0:
                family = f"{family} " + "von Habsburg-Lothringen " * 3  # a long name now and then
            out.writerow([f"B-{i:06d}", given, family.strip(), f"{1980 + i % 25}-0{1 + i % 9}-1{i % 10}",
                          "", (start + timedelta(days=i % 3)).isoformat(), "pass" if i % 4 else "merit"])


def setup(work: Path, count: int, source: Path) -> tuple[Path, Path, Path]:
    from unadocs.seal.keys import generate_key

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["agreement"]["status"] = "approved"
    spec = work / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    info = generate_key("UH", work / "keys", valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
    learners = work / "learners.csv"
    write_learners(learners, count)
    return spec, learners, info.private_key_path


def baseline(spec: Path, learners: Path, key: Path, sample: int) -> float:
    """Certificates per second, one full WeasyPrint render each, sequential (after one warm-up render)."""
    from unadocs.issuing import sealed_certificate as seal_record
    from unadocs.load.learners import read_learners
    from unadocs.record import build_record
    from unadocs.certificate.render import direct_pdf
    from unadocs.load import load_spec
    from unadocs.seal.keys import load_signer

    consortium, signer = load_spec(spec), load_signer(key)
    url = consortium.certificate.verification_url
    rows = [r.learner for r, _ in zip(read_learners(learners), range(sample + 1)) if r.learner is not None]

    def one(learner: object) -> bytes:
        sealed = seal_record(build_record(consortium, learner), signer, url)  # type: ignore[arg-type]
        return direct_pdf(sealed.record, sealed.link, sealed.qr_png)

    one(rows[0])
    start = time.perf_counter()
    for learner in rows[1:]:
        one(learner)
    return (len(rows) - 1) / (time.perf_counter() - start)


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def batch(spec: Path, learners: Path, key: Path, out: Path, jobs: int | None,
          eseal: Path | None = None) -> tuple[float, int, int, int]:
    """Run the CLI as a user does; wall time, issued count, peak RSS of one process and of the whole tree."""
    command = [str(ROOT / ".venv" / "bin" / "unadocs"), "certificates", str(spec), str(learners), "--key", str(key),
               "-o", str(out), "--combined", str(out / "print.pdf"), "--quiet"]
    if eseal is not None:  # a PKCS#12 file without a password: the variable gives the empty one
        command += ["--eseal", str(eseal)]
        os.environ["UNADOCS_ESEAL_PASSWORD"] = ""
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_tree = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, tree_rss(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    peak_one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if process.returncode != 0:
        sys.exit(f"the batch failed ({process.returncode}):\n{stdout}\n{stderr}")
    issued = len(list(out.glob("*.pdf"))) - 1  # without print.pdf
    if before * 1024 > peak_one:
        peak_one = 0  # an earlier child was larger; not expected here
    return elapsed, issued, peak_one, peak_tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="learners (default 1000)")
    parser.add_argument("--sample", type=int, default=40, help="certificates for the baseline (at least 40)")
    parser.add_argument("--jobs", type=int, help="passed to --jobs (default: the CLI's default, the cores)")
    parser.add_argument("--eseal", action="store_true", help="also run the batch sealed with a TEST eSeal")
    parser.add_argument("--spec", type=Path, default=ROOT / "examples" / "sustainability.yaml",
                        help="the spec whose certificates are issued (default examples/sustainability.yaml)")
    args = parser.parse_args()
    sample = max(40, args.sample)
    with tempfile.TemporaryDirectory(prefix="unadocs-bench-") as temporary:
        work = Path(temporary)
        spec, learners, key = setup(work, max(args.n, sample + 1), args.spec)
        print(f"{args.spec.name}: N = {args.n} learners, {os.cpu_count()} cores; baseline sample {sample}", flush=True)
        naive = baseline(spec, learners, key, sample)
        print(f"naive baseline (one full render each, sequential): {naive:.2f} certificates/s", flush=True)
        if args.n != max(args.n, sample + 1):
            write_learners(learners, args.n)
        elapsed, issued, peak_one, peak_tree = batch(spec, learners, key, work / "out", args.jobs)
        rate = issued / elapsed
        size = (work / "out" / "print.pdf").stat().st_size
        print(f"batch path (PDF + JSON + combined, default settings): {issued} certificates in {elapsed:.1f} s "
              f"= {rate:.1f} certificates/s")
        print(f"ratio: {rate / naive:.1f}x")
        print(f"peak RSS: largest process {peak_one / 2**20:.0f} MB, whole process tree {peak_tree / 2**20:.0f} MB")
        print(f"combined print PDF: {size / 2**20:.1f} MB for {issued} certificates")
        if args.eseal:
            from datetime import datetime, timezone

            from unadocs.load import load_spec
            from unadocs.seal.demo_eseal import demo_eseal

            now = datetime.now(timezone.utc)
            seal = demo_eseal(work / "keys", load_spec(spec).issuer.name, kind="rsa",
                              valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30))
            elapsed, issued, peak_one, peak_tree = batch(spec, learners, key, work / "sealed", args.jobs, seal.p12)
            sealed = issued / elapsed
            print(f"batch path sealed with an eSeal (PAdES B-B, RSA 2048): {issued} certificates in {elapsed:.1f} s "
                  f"= {sealed:.1f} certificates/s; ratio to naive {sealed / naive:.1f}x, to unsealed "
                  f"{sealed / rate:.2f}")
            print(f"peak RSS sealed: largest process {peak_one / 2**20:.0f} MB, whole process tree "
                  f"{peak_tree / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
