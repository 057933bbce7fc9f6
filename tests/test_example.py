from __future__ import annotations

from datetime import date

import unadocs
from tests.conftest import EXAMPLE_SPEC


def test_reference_spec_loads_unchanged() -> None:
    c = unadocs.load_spec(EXAMPLE_SPEC)
    assert c.credential.title == "Micro-credential in Sustainability"
    assert [p.id for p in c.partners] == ["UH", "UNIBO", "UJ"]
    assert c.lead.name == "University of Helsinki"
    assert c.term.end == date(2029, 8, 31)
