"""What ``unadocs certificates`` shows while it runs, and the worker pool it runs on (the command line's own:
the library never prints).

On a terminal a rich progress bar (count, rate, time left); otherwise (a log,
a CI job) a plain line every few seconds. Both pass the results through
unchanged, so the caller still sees every row.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from unadocs.issuing.run import IssueResult

__all__ = ["default_jobs", "plain_progress", "rich_progress", "show_progress", "worker_pool"]

#: Seconds between two lines of plain progress.
PLAIN_EVERY = 5.0


def default_jobs() -> int:
    """The machine's cores (those this process may run on)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_pool(jobs: int | None) -> AbstractContextManager[Executor | None]:
    """A process pool of ``jobs`` workers (default: the cores); none for one job (work runs in this process).

    Workers start from a fork server that has imported the renderer once, so
    each starts quickly and none inherits this process's threads. The
    server starts at once: enter the pool before reading the spec and the
    learners, and the imports run meanwhile.
    """
    import multiprocessing
    from multiprocessing.context import BaseContext

    jobs = jobs or default_jobs()
    if jobs <= 1:
        return nullcontext(None)
    context: BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["unadocs.issuing.run", "unadocs.certificate.render", "weasyprint"])
        forkserver.ensure_running()  # now: it imports the renderer (a second) while this process reads its input
        context = server
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def show_progress(results: Iterable[IssueResult], total: int | None, *, quiet: bool = False,
                  stream: IO[str] | None = None) -> Iterator[IssueResult]:
    """``results``, shown as they pass: a bar on a terminal, plain lines otherwise, nothing when ``quiet``."""
    stream = stream or sys.stderr
    if quiet:
        return iter(results)
    if stream.isatty():
        return rich_progress(results, total)
    return plain_progress(results, total, stream)


def rich_progress(results: Iterable[IssueResult], total: int | None) -> Iterator[IssueResult]:
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeRemainingColumn)
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: object) -> Text:
            speed = getattr(task, "speed", None)
            return Text(f"{speed:.1f}/s" if speed else "–/s")

    columns = (TextColumn("certificates"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), Rate(),
               TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("certificates", total=total)
        for result in results:
            progress.advance(task)
            yield result


def plain_progress(results: Iterable[IssueResult], total: int | None, stream: IO[str],
                   every: float = PLAIN_EVERY) -> Iterator[IssueResult]:
    """``results``, with a line of progress (count, rate, time left) at most every ``every`` seconds."""
    start = last = time.monotonic()
    done = 0
    for result in results:
        done += 1
        now = time.monotonic()
        if now - last >= every:
            last = now
            rate = done / max(now - start, 1e-6)
            of = f"/{total}" if total else ""
            left = f", about {max(total - done, 0) / rate:.0f} s left" if total else ""
            print(f"certificates: {done}{of} ({rate:.1f}/s{left})", file=stream, flush=True)
        yield result
