"""Writing the exports: beside the PDF ('unadocs certificates --formats'), alone ('unadocs export'), verified."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLE_LEARNERS
from tests.export.conftest import joint_data
from unadocs.cli import main
from unadocs.errors import UnadocsError
from unadocs.issuing import export_credentials, parse_formats
from unadocs.issuing.run import RUN_FILES
from unadocs.seal.keys import generate_key


@pytest.fixture(scope="module")
def joint_spec(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> Path:
    path = tmp_path_factory.mktemp("spec") / "joint.yaml"
    path.write_text(yaml.safe_dump(joint_data(example_data), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    info = generate_key("UH", tmp_path_factory.mktemp("keys"), valid_from=date(2025, 9, 1),
                        valid_until=date(2029, 8, 31))
    return info.private_key_path, info.trust_path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_certificates_with_all_formats_writes_the_three_views_beside_each_pdf(
    joint_spec: Path, key: tuple[Path, Path], tmp_path: Path,
) -> None:
    result = run("certificates", str(joint_spec), str(EXAMPLE_LEARNERS), "--key", str(key[0]), "-o", str(tmp_path),
                 "--formats", "pdf,elm,ob3")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    for learner in ("UH-2025-0001", "UH-2025-0006"):
        for suffix in (".pdf", ".json", ".elm.jsonld", ".ob3.json", ".ob3.jwt"):
            assert learner + suffix in names
    assert len(names) == 6 * 5 + 3  # and the run's manifest.jsonl, errors.csv and links.csv
    elm = json.loads((tmp_path / "UH-2025-0003.elm.jsonld").read_text(encoding="utf-8"))
    record = json.loads((tmp_path / "UH-2025-0003.json").read_text(encoding="utf-8"))
    assert elm["id"] == f"urn:credential:{record['credential_id']}"
    verdict = run("verify", str(tmp_path / "UH-2025-0003.ob3.jwt"), "--trust", str(key[1]),
                  "--record", str(tmp_path / "UH-2025-0003.json"))
    assert verdict.exit_code == 0, verdict.output
    assert verdict.output.startswith("VALID") and "Zoë O'Brien-Müller" in verdict.output


def test_certificates_by_default_writes_only_the_pdf_and_its_record(
    joint_spec: Path, key: tuple[Path, Path], tmp_path: Path,
) -> None:
    result = run("certificates", str(joint_spec), str(EXAMPLE_LEARNERS), "--key", str(key[0]), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in tmp_path.iterdir() if p.name not in RUN_FILES} == {".pdf", ".json"}
    assert not list(tmp_path.glob("*.elm.jsonld"))


def test_export_elm_needs_no_key_and_writes_only_elm(joint_spec: Path, tmp_path: Path) -> None:
    result = run("export", "elm", str(joint_spec), str(EXAMPLE_LEARNERS), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "6 exported, 0 unchanged, 0 failed" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in RUN_FILES) == [
        f"UH-2025-000{n}.elm.jsonld" for n in range(1, 7)]


def test_export_ob3_requires_the_issuers_key(joint_spec: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "ob3", str(joint_spec), str(EXAMPLE_LEARNERS), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "give the issuer's key with --key" in result.output
    assert not list(tmp_path.iterdir())


def test_export_ob3_writes_credential_and_signed_jwt(joint_spec: Path, key: tuple[Path, Path], tmp_path: Path) -> None:
    result = run("export", "ob3", str(joint_spec), str(EXAMPLE_LEARNERS), "-o", str(tmp_path), "--key", str(key[0]))
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.ob3.json"))) == len(list(tmp_path.glob("*.ob3.jwt"))) == 6


def test_a_bad_row_is_reported_and_the_good_rows_are_exported(joint_spec: Path, tmp_path: Path) -> None:
    learners = tmp_path / "learners.csv"
    learners.write_text("learner_id,given_names,family_name,issued\nA1,Ana,Lopez,2026-02-01\n"
                        "A2,Bo,,2026-02-01\nA3,Cy,Berg,2031-01-01\n", encoding="utf-8")
    results = list(export_credentials(consortium_of(joint_spec), learners, tmp_path / "out", ("elm",)))
    assert [r.ok for r in results] == [True, False, False]
    assert "family_name" in (results[1].reason or "") and "outside the agreement's term" in (results[2].reason or "")
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name not in RUN_FILES] == ["A1.elm.jsonld"]


def consortium_of(path: Path) -> Any:
    from unadocs.load import load_spec

    return load_spec(path)


def test_a_hostile_learner_id_stays_inside_the_output_directory(joint_spec: Path, tmp_path: Path) -> None:
    learners = tmp_path / "learners.csv"
    learners.write_text("learner_id,given_names,family_name,issued\n../../evil,Eve,Il,2026-02-01\n", encoding="utf-8")
    out = tmp_path / "out"
    [result] = export_credentials(consortium_of(joint_spec), learners, out, ("elm",))
    assert result.ok and all(p.parent == out for p in result.files)
    assert [p.name for p in out.iterdir() if p.name not in RUN_FILES][0].endswith(".elm.jsonld")


def test_formats_are_checked_and_put_in_order() -> None:
    assert parse_formats("ob3, PDF") == ("pdf", "ob3")
    with pytest.raises(UnadocsError, match="unknown format 'docx'; choose from pdf, elm, ob3"):
        parse_formats("pdf,docx")
    with pytest.raises(UnadocsError, match="no format given"):
        parse_formats(" , ")


def test_certificates_without_the_pdf_format_points_to_export(joint_spec: Path, key: tuple[Path, Path],
                                                              tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["certificates", str(joint_spec), str(EXAMPLE_LEARNERS), "--key", str(key[0]),
                                       "-o", str(tmp_path / "out"), "--formats", "elm"])
    assert result.exit_code == 1 and "unadocs export elm|ob3" in result.output
    assert not (tmp_path / "out").exists()


def test_the_demo_writes_all_three_formats_for_the_example_learners(tmp_path: Path) -> None:
    from unadocs.issuing.demo import demo_certificates
    from unadocs.load import load_spec
    from unadocs.resources import example_learners, example_spec

    done = demo_certificates(load_spec(example_spec()), example_learners(), tmp_path)
    assert [r.ok for r in done.results] == [True] * 6
    for result in done.results:
        assert result.pdf is not None
        stem = result.pdf.name.removesuffix(".pdf")
        assert [p.name for p in result.exports] == [f"{stem}.elm.jsonld", f"{stem}.elm.jades.json",
                                                     f"{stem}.ob3.json", f"{stem}.ob3.jwt"]
        assert all(p.parent == done.out_dir for p in result.exports)
    jwt = done.results[0].exports[3]
    verdict = run("verify", str(jwt), "--trust", str(done.trust_path))
    assert verdict.exit_code == 1 and "NOT VALID (specimen)" in verdict.output  # the example agreement is a draft
    # sealed with a TEST eSeal from a demo authority, and labelled so where a person looks
    assert done.eseal is not None and done.eseal.valid and done.eseal.trusted
    assert "CN=TEST SEAL of University of Helsinki" in done.eseal.subject and "TEST ONLY" in done.eseal.subject
    assert done.eseal_path is not None and done.eseal_path.name == "DEMO-TEST-eseal-ec.p12"
