"""Fixtures for the agreement tests: spec variants, DOCX text, and one batched LibreOffice run."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import unadocs
from tests.conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ELEVEN = ROOT / "tests" / "fixtures" / "agreement" / "eleven-members.yaml"
HOSTILE = "A & B <C> {{ x }} **bold** [[ref:law]] | pipe {% if %}"

#: Spec changes, as dotted paths, that select one variant of each option and the wording only that variant has.
#: Option -> variant -> (changes, distinctive wording).
VARIANTS: dict[str, dict[str, tuple[dict[str, Any], str]]] = {
    "decision rule": {
        "consensus": ({"governance.decisions": "consensus"}, "takes its decisions by consensus"),
        "majority": ({"governance.decisions": "majority"}, "by a simple majority of the votes cast"),
        "two-thirds": ({"governance.decisions": "two-thirds"}, "by a majority of two-thirds of the votes cast"),
    },
    "accession decision": {
        "unanimous": ({"accession.decision": "unanimous"}, "requires a unanimous decision of the Management"),
        "two-thirds": ({"accession.decision": "two-thirds"}, "majority of two-thirds of all Parties"),
        "majority": ({"accession.decision": "majority"}, "simple majority of all Parties"),
    },
    "accession": {
        "enabled": ({"accession.enabled": True}, "without amendment of this Agreement, under the following"),
        "disabled": ({"accession.enabled": False}, "No university or organisation may become a Party except"),
    },
    "finance model": {
        "centralised": ({"finance.model": "centralised"}, "invoices and collects all fees for the Micro-credential"),
        "decentralised": ({"finance.model": "decentralised"}, "the fees of the Learners who enrol in the courses it"),
        "mixed": ({"finance.model": "mixed"}, "collects the fees for the joint activities"),
    },
    "materials ownership": {
        "creator-institution": ({"intellectual_property.teaching_materials.ownership": "creator-institution"},
                                "belong to the Party whose staff created them"),
        "joint": ({"intellectual_property.teaching_materials.ownership": "joint"},
                  "belong to all Parties jointly, in equal shares"),
    },
    "licence": {
        "creative commons": ({"intellectual_property.teaching_materials.licence": "CC-BY-4.0"},
                             "Creative Commons Attribution 4.0 International licence (CC-BY-4.0)"),
        "royalty-free": ({"intellectual_property.teaching_materials.licence": "non-exclusive-royalty-free"},
                         "royalty-free licence to use, reproduce and adapt the Teaching Materials"),
    },
    "data protection": {
        "reference": ({"data_protection.mode": "reference"}, "which is incorporated into this Agreement by reference"),
        "joint-controllers": ({"data_protection.mode": "full", "data_protection.roles": "joint-controllers"},
                              "joint controllers within the meaning of Article 26"),
        "controller-processor": ({"data_protection.mode": "full", "data_protection.roles": "controller-processor"},
                                 "as processors within the meaning of Article 28"),
        "independent-controllers": ({"data_protection.mode": "full",
                                     "data_protection.roles": "independent-controllers"},
                                    "is an independent controller of the Personal Data"),
    },
    "review": {
        "annual": ({"term.review": "annual"}, "once a year, after the end of each Edition"),
        "mid-term": ({"term.review": "mid-term"}, "once, at the middle of the Term"),
        "none": ({"term.review": "none"}, "No periodic review of this Agreement is scheduled"),
    },
    "renewal": {
        "by-written-agreement": ({"term.renewal": "by-written-agreement"}, "may be renewed only by a written agreement"),
        "none": ({"term.renewal": "none"}, "This Agreement will not be renewed"),
    },
    "learners": {
        "protected": ({"term.learners_protected": True}, "may complete the Edition in which they are enrolled"),
        "unprotected": ({"term.learners_protected": False}, "no Party is obliged to continue teaching"),
    },
    "disputes": {
        "courts": ({"law.disputes": "amicable-then-courts"}, "If the dispute is not settled amicably within sixty "
                   "(60) days of the notice under clause 17.2, it shall be submitted to the exclusive jurisdiction"),
        "mediation": ({"law.disputes": "amicable-then-mediation-then-courts"}, "CEPANI Mediation Rules"),
        "mediation outside Belgium": ({"law.disputes": "amicable-then-mediation-then-courts", "law.applicable": "FI",
                                      "law.venue": "Helsinki"}, "ICC Mediation Rules"),
        "arbitration, CEPANI": ({"law.disputes": "arbitration"}, "CEPANI Rules of Arbitration"),
        "arbitration, named rules": ({"law.disputes": "arbitration",
                                     "law.arbitration_rules": "UNCITRAL Arbitration Rules"},
                                    "finally settled under the UNCITRAL Arbitration Rules"),
        "arbitration, ICC outside Belgium": ({"law.disputes": "arbitration", "law.applicable": "FI",
                                             "law.venue": "Helsinki"},
                                            "Rules of Arbitration of the International Chamber of Commerce"),
    },
    "certificate form": {
        "digital": ({"certificate.form": "digital"}, "issued in digital form only"),
        "paper": ({"certificate.form": "paper"}, "issued on paper only"),
        "both": ({"certificate.form": "both"}, "issued both in digital form"),
    },
    "Una Europa reference": {
        "yes": ({"branding.una_europa_reference": True}, "carry the name and logo of Una Europa"),
        "no": ({"branding.una_europa_reference": False}, "do not carry the name or logo of Una Europa"),
    },
}


def combination(pick: int) -> dict[str, str]:
    """Option -> variant name for a spec that selects the ``pick``-th variant of every option that has one.

    Accession on/off is chosen only in the third combination (disabled), since it hides the accession decision.
    """
    out = {}
    for option, variants in VARIANTS.items():
        names = list(variants)
        if option == "accession":
            if pick == 3:
                out[option] = "disabled"
        elif len(names) > pick:
            out[option] = names[pick]
    return out


def combination_changes(pick: int) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for option, name in combination(pick).items():
        changes.update(VARIANTS[option][name][0])
    return changes


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of spec data with dotted-path changes applied (a value of None removes the key)."""
    data = copy.deepcopy(data)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return data


@pytest.fixture
def variant(example_data: dict[str, Any]) -> Callable[..., unadocs.Consortium]:
    """The example consortium with dotted-path changes: ``variant({"finance.model": "mixed"})``."""

    def make(changes: dict[str, Any]) -> unadocs.Consortium:
        return unadocs.load_spec(apply_changes(example_data, changes))

    return make


def docx_paragraphs(data: bytes, part: str = "word/document.xml") -> list[str]:
    """The text of every paragraph of a part (tables included), in order."""
    with zipfile.ZipFile(BytesIO(data)) as zf:
        root = etree.fromstring(zf.read(part))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def hostile_spec(example_data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(example_data)
    data["partners"][1]["name"] = HOSTILE
    data["partners"][1]["signatory"]["name"] = HOSTILE
    data["agreement"]["reference"] = "REF-<&>-{{ y }}"
    data["credential"]["title"] = "Title & <b>{{ z }}</b>"
    data["finance"]["costs"] = HOSTILE
    return data


def with_accession(example_data: dict[str, Any]) -> dict[str, Any]:
    """The example with KU Leuven joining by accession on 1 September 2026."""
    data = copy.deepcopy(example_data)
    data["partners"].append({"id": "KUL", "member": "leuven",
                             "coordinator": {"name": "Lies Peeters", "email": "lies.peeters@kuleuven.be"},
                             "signatory": {"name": "Severine Vermeire", "title": "Rector"}})
    data["finance"]["revenue_shares"] = {"UH": 40, "UNIBO": 20, "UJ": 20, "KUL": 20}
    data["accession"]["accessions"] = [{"partner": "KUL", "date": "2026-09-01"}]
    return data


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:  # a hard failure, not a skip: CI installs LibreOffice (.ci/run)
        raise RuntimeError("LibreOffice (soffice) is required for the agreement tests; .ci/run installs it")
    return path


@pytest.fixture(scope="session")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> dict[str, str]:
    """A representative set of agreements converted by LibreOffice in one batch, as pdftotext output by name."""
    example = unadocs.load_spec(ROOT / "examples" / "sustainability.yaml")
    docs: dict[str, bytes] = {
        "example": unadocs.build_agreement(example),
        "example-final": unadocs.build_agreement(example, final=True),
        "hostile": unadocs.build_agreement(unadocs.load_spec(hostile_spec(example_data))),
        "eleven": unadocs.build_agreement(unadocs.load_spec(ELEVEN)),
        "accession": unadocs.build_agreement(unadocs.load_spec(with_accession(example_data))),
        "accession-form": unadocs.build_accession_form(unadocs.load_spec(with_accession(example_data)), "KUL"),
    }
    # Three specs that together select a variant of every option other than the example's.
    for pick in (1, 2, 3):
        spec = apply_changes(example_data, combination_changes(pick))
        docs[f"variants-{pick}"] = unadocs.build_agreement(unadocs.load_spec(spec))
    out = tmp_path_factory.mktemp("libreoffice")
    for name, data in docs.items():
        (out / f"{name}.docx").write_bytes(data)
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *sorted(str(p) for p in out.glob("*.docx"))],
        check=True, capture_output=True, timeout=240,
    )
    texts = {}
    for name in docs:
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}.docx"
        done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
        texts[name] = done.stdout
    return texts


def flat(text: str) -> str:
    """pdftotext output as running text: page headers and footers dropped, lines joined, spaces collapsed."""
    lines = [line for line in text.splitlines()
             if not re.fullmatch(r"\s*Page \d+ of \d+\s*", line) and "Consortium Agreement \u2014 version" not in line]
    text = re.sub(r"(?<=\w)-\s*\n\s*(?=\w)", "-", "\n".join(lines))
    return re.sub(r"\s+", " ", text)


def library_with(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of the clause library with one more file."""
    library = tmp_path / "clauses"
    library.mkdir()
    for f in (ROOT / "clauses").glob("*.md"):
        (library / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (library / name).write_text(text, encoding="utf-8")
    return library
