"""LibreOffice as a client of a redline, through its UNO API: accept or reject every tracked change, then read.

Run by the Python that LibreOffice's UNO bridge belongs to (Debian's
``python3-uno``, for ``/usr/bin/python3``), not by the test suite's
interpreter::

    /usr/bin/python3 libreoffice_changes.py SOFFICE PROFILE_DIR JOBS.json

``JOBS.json`` lists ``[path, action]`` pairs, the action ``accept``,
``reject`` or ``none``. For each document, LibreOffice (headless, with its
own profile) loads the file, counts its tracked changes, carries out the
action as the *Edit ▸ Track Changes ▸ Accept All / Reject All* commands do,
updates every field and index (cross-references, the table of contents), and
reports each paragraph as ``[list label, text]`` (its number as LibreOffice
shows it, and its text with the fields' results), tables cell by cell. The
results are printed as a JSON list in the order of the jobs, each ``{"changes":
n, "after": m, "paragraphs": [...]}``: the tracked changes LibreOffice found
in the file, those left after the action, and the paragraphs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    context = uno.getComponentContext()
    resolver = context.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", context)
    deadline = time.monotonic() + 120
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _count(enumeration_access: Any) -> int:
    count, items = 0, enumeration_access.createEnumeration()
    while items.hasMoreElements():
        items.nextElement()
        count += 1
    return count


def _paragraphs(text: Any) -> list[list[str]]:
    out: list[list[str]] = []
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            for name in _cell_order(item.getCellNames()):
                out.extend(_paragraphs(item.getCellByName(name).getText()))
        elif item.supportsService("com.sun.star.text.Paragraph"):
            out.append([item.getPropertyValue("ListLabelString"), item.getString()])
    return out


def _cell_order(names: tuple[str, ...]) -> list[str]:
    """Cell names ("A1", "B1", "A2") row by row, as a reader reads a table."""
    def key(name: str) -> tuple[int, str]:
        letters = name.rstrip("0123456789")
        return int(name[len(letters):]), letters.rjust(3)
    return sorted(names, key=key)


def main() -> None:
    soffice, profile, jobs_file = sys.argv[1:4]
    with open(jobs_file, encoding="utf-8") as f:
        jobs = json.load(f)
    pipe = f"unadocs-tests-{os.getpid()}"
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: list[Any] = []
    try:
        context = _connect(pipe, office)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        for path, action in jobs:
            document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                                    (_property("Hidden", True),))
            try:
                changes = _count(document.getRedlines())
                if action in COMMANDS:
                    frame = document.getCurrentController().getFrame()
                    dispatcher.executeDispatch(frame, COMMANDS[action], "", 0, ())
                fields = document.getTextFields()
                fields.refresh()
                indexes = document.getDocumentIndexes()
                for k in range(indexes.getCount()):
                    indexes.getByIndex(k).update()
                fields.refresh()
                results.append({"changes": changes, "after": _count(document.getRedlines()),
                                "paragraphs": _paragraphs(document.getText())})
            finally:
                document.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as LibreOffice quits
            pass
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
