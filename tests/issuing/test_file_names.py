"""Every learner gets files of their own, or their row fails: never two learners, or a learner and a run file, on
one path."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from tests.issuing.conftest import Setup, run
from unadocs.filenames import safe_name


def _record_of(pdf: Path) -> dict[str, object]:
    with pikepdf.open(pdf) as document:
        (spec,) = document.attachments.values()
        return json.loads(spec.get_file().read_bytes())


def test_an_id_made_safe_and_the_id_that_looks_like_it_both_get_their_own_files(setup: Setup) -> None:
    lookalike = safe_name("a/b")
    assert lookalike.startswith("a_b-")
    out = setup.root / "out"
    result = setup.issue(setup.learners(f"a/b,Ana,Lopez,2026-02-01\n{lookalike},Bo,Berg,2026-02-01\n"), out,
                         "--combined", str(out / "print.pdf"))
    assert result.exit_code == 0, result.output
    pdfs = sorted(p for p in out.glob("*.pdf") if p.name != "print.pdf")
    assert len(pdfs) == 2
    assert {_record_of(p)["learner"]["learner_id"] for p in pdfs} == {"a/b", lookalike}  # type: ignore[index]
    with pikepdf.open(out / "print.pdf") as combined:
        assert len(combined.pages) == 4  # two learners of two pages each, not one learner twice


def test_a_learner_named_like_the_print_file_fails_and_the_print_file_is_kept(setup: Setup) -> None:
    out = setup.root / "out"
    result = setup.issue(setup.learners("print,Ana,Lopez,2026-02-01\nL-2,Bo,Berg,2026-02-01\n"), out,
                         "--combined", str(out / "print.pdf"))
    assert result.exit_code == 1
    assert "error: row 2 (print): its file print.pdf would take the name of the run's own print.pdf" in result.stderr
    assert not (out / "print.json").exists()
    with pikepdf.open(out / "print.pdf") as combined:
        assert len(combined.pages) == 2  # the print file of L-2 alone


@pytest.mark.parametrize(("first", "second"), [("Abc", "abc"), ("x", "x.ob3"), ("UH-1", "uh-1")])
def test_two_ids_whose_files_would_meet_give_the_second_a_clear_error(setup: Setup, first: str, second: str) -> None:
    out = setup.root / "out"
    result = setup.issue(setup.learners(f"{first},Ana,Lopez,2026-02-01\n{second},Bo,Berg,2026-02-01\n"), out,
                         "--formats", "pdf,elm,ob3")
    assert result.exit_code == 1
    assert f"error: row 3 ({second}): its file" in result.stderr
    assert f"would be the file of learner {first!r} (row 2)" in result.stderr
    assert _record_of(out / f"{first}.pdf")["learner"]["given_names"] == "Ana"  # type: ignore[index]


def test_a_learner_whose_files_meet_those_of_an_earlier_run_fails(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners("abc,Ana,Lopez,2026-02-01\n"), out).exit_code == 0
    result = setup.issue(setup.learners("ABC,Bo,Berg,2026-02-01\n", "second.csv"), out)
    assert result.exit_code == 1
    assert "would be the file of learner 'abc' (issued into this folder before)" in result.stderr
    assert _record_of(out / "abc.pdf")["learner"]["given_names"] == "Ana"  # type: ignore[index]


@pytest.mark.parametrize("name", ["manifest.jsonl", "errors.csv", ".unadocs.lock"])
def test_the_print_file_cannot_take_a_file_of_the_run(setup: Setup, name: str) -> None:
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out, "--combined", str(out / name))
    assert result.exit_code == 1 and f"that is the run's own {name}; choose another name" in result.stderr
    assert not list(out.glob("*.pdf"))


def test_the_library_gives_the_same_answer(setup: Setup) -> None:
    import unadocs

    consortium = unadocs.load_spec(setup.spec)
    signer = unadocs.load_signer(setup.key)
    learners = setup.learners("Abc,Ana,Lopez,2026-02-01\nabc,Bo,Berg,2026-02-01\n")
    results = list(unadocs.issue_certificates(consortium, learners, signer, setup.root / "lib"))
    assert [r.ok for r in results] == [True, False]
    assert results[1].reason is not None and "would be the file of learner 'Abc'" in results[1].reason
    assert run("verify", str(results[0].pdf), "--trust", str(setup.trust)).exit_code == 0
