"""`unadocs check` for someone writing a spec: every problem in one pass, in plain words, with the fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from unadocs.cli import main

Spec = dict[str, Any]


def check(path: Path) -> Result:
    return CliRunner().invoke(main, ["check", str(path)])


def errors(result: Result) -> list[tuple[int, str, str]]:
    found = []
    for line in result.stderr.splitlines():
        match = re.match(r"error: .*?: (?P<path>\S+) \(line (?P<line>\d+)\): (?P<message>.*)$", line)
        if match:
            found.append((int(match["line"]), match["path"], match["message"]))
    return found


def test_a_broken_fee_no_longer_hides_the_missing_collecting_partner(spec_data: Spec,
                                                                    write_spec: Callable[[Spec], Path]) -> None:
    spec_data["finance"]["model"] = "mixed"
    del spec_data["finance"]["collecting_partner"]
    spec_data["finance"]["fees"][1]["amount"] = "abc EUR"
    found = errors(check(write_spec(spec_data)))
    paths = [path for _, path, _ in found]
    assert "finance.fees[1].amount" in paths and "finance.collecting_partner" in paths
    assert [line for line, _, _ in found] == sorted(line for line, _, _ in found)  # in the order of the file


def test_one_bad_partner_does_not_hide_the_other_rules(spec_data: Spec, write_spec: Callable[[Spec], Path]) -> None:
    spec_data["partners"][1]["member"] = "complutense"
    spec_data["governance"]["chair"] = "NOBODY"
    found = {path: message for _, path, message in errors(check(write_spec(spec_data)))}
    assert found["partners[1].member"].endswith("unknown Una Europa member 'complutense'; did you mean 'madrid'?")
    assert "NOBODY" in found["governance.chair"]


def test_messages_in_plain_words_with_an_example(spec_data: Spec, write_spec: Callable[[Spec], Path]) -> None:
    spec_data["credential"]["ects"] = "6 ECTS"
    spec_data["credential"]["eqf_level"] = "seven"
    spec_data["finance"]["model"] = "mixd"
    spec_data["branding"]["una_europa_reference"] = "maybe"
    found = {path: message for _, path, message in errors(check(write_spec(spec_data)))}
    assert found["credential.ects"] == "is not a number: write digits only, like 6 or 7.5, not '6 ECTS'"
    assert found["credential.eqf_level"] == "is not a whole number: write digits only, like 3, not 'seven'"
    assert found["finance.model"] == ("must be one of centralised, decentralised, mixed, not 'mixd'; "
                                      "did you mean 'mixed'?")
    assert found["branding.una_europa_reference"] == "write true or false, not 'maybe'"
    assert not any("Input should" in message for message in found.values())


def test_dates_in_a_spec_may_be_written_day_first(spec_data: Spec, write_spec: Callable[[Spec], Path]) -> None:
    spec_data["agreement"]["date"] = "10.01.2026"
    assert check(write_spec(spec_data)).exit_code == 0
    spec_data["agreement"]["date"] = "2026/01/10"
    found = {path: message for _, path, message in errors(check(write_spec(spec_data)))}
    assert found["agreement.date"] == "'2026/01/10' is not a date: write 2027-01-31 (or 31.01.2027)"


def test_names_suggest_the_code(spec_data: Spec, write_spec: Callable[[Spec], Path]) -> None:
    spec_data["credential"]["languages"] = ["English", "suomi"]
    spec_data["law"]["applicable"] = "Scotland"
    spec_data["partners"][2]["country"] = "Deutschland"
    found = {path: message for _, path, message in errors(check(write_spec(spec_data)))}
    assert found["credential.languages[0]"].endswith("; did you mean en (English)?")
    assert found["credential.languages[1]"].endswith("; did you mean fi (Finnish)?")
    assert found["law.applicable"].endswith("; did you mean GB-SCT?")
    assert found["partners[2].country"].endswith("; did you mean DE (Germany)?")
