"""The day of sealing: never before the issue date, inside the key's validity, and after a key's revocation no more."""

from __future__ import annotations

import json

import pytest

from tests.issuing.conftest import Setup, run
from unadocs.seal.trust import TrustList


def test_an_issue_date_after_today_fails_its_row(setup: Setup) -> None:
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-07-02\nL-2,Bo,Berg,2026-07-01\n"), out)
    assert result.exit_code == 1
    assert ("error: row 2 (L-1): the issue date 2026-07-02 is after today (2026-07-01): a certificate is issued on or "
            "after the day it is dated, never in advance") in result.stderr
    assert not (out / "L-1.pdf").exists() and (out / "L-2.pdf").exists()


def test_the_day_of_sealing_follows_source_date_epoch(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1782864000 + 86400 * 31))  # 2026-08-01
    out = setup.root / "out"
    assert setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out).exit_code == 0
    verdict = json.loads(run("verify", str(out / "L-1.pdf"), "--trust", str(setup.trust), "--json").stdout)
    assert verdict["fields"]["sealed"] == "2026-08-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = setup.issue(setup.learners("L-2,Bo,Berg,2026-02-01\n"), setup.root / "other")
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH must be a number of seconds" in result.stderr


def test_a_key_that_expired_before_the_day_of_sealing_cannot_seal(setup: Setup) -> None:
    keys = setup.root / "short"
    assert run("keys", "generate", "--issuer", "UH", "--out", str(keys), "--valid-from", "2026-01-01",
               "--valid-until", "2026-06-30").exit_code == 0
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-06-15\n"), setup.root / "out",
                         key=next(keys.glob("UH-*.pem")))
    assert result.exit_code == 1 and "the day of sealing 2026-07-01 is after key" in result.stderr
    assert "expired (2026-06-30)" in result.stderr


def test_a_revoked_key_stops_verifying_from_its_day_and_cannot_seal_again(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out).exit_code == 0
    key_id = TrustList.load(setup.trust).keys[0].key_id
    trust = str(setup.trust)
    result = run("keys", "revoke-key", key_id, "--since", "2026-07-02", "--trust", trust, "--reason", "laptop stolen")
    assert result.exit_code == 0, result.output
    assert run("verify", str(out / "L-1.pdf"), "--trust", trust).exit_code == 0  # sealed the day before: stands
    assert run("keys", "revoke-key", key_id, "--since", "2026-07-01", "--trust", trust).exit_code == 0
    verdict = json.loads(run("verify", str(out / "L-1.pdf"), "--trust", trust, "--json").stdout)
    assert verdict["reason"] == "key-revoked" and "revoked since 2026-07-01" in verdict["message"]
    result = setup.issue(setup.learners("L-2,Bo,Berg,2026-02-01\n"), setup.root / "after")
    assert result.exit_code == 1 and f"key {key_id} is revoked since 2026-07-01" in result.stderr


def test_keys_revoke_key_refuses_a_key_the_list_does_not_hold(setup: Setup) -> None:
    result = run("keys", "revoke-key", "AAAAAAAAAAA", "--since", "2026-07-01", "--trust", str(setup.trust))
    assert result.exit_code == 1 and "key AAAAAAAAAAA is not in the trust list" in result.stderr


def test_a_key_valid_from_a_day_whose_fifth_anniversary_is_past_the_calendar_is_refused(setup: Setup) -> None:
    result = run("keys", "generate", "--issuer", "UH", "--out", str(setup.root / "far"), "--valid-from", "9995-03-01")
    assert result.exit_code == 1
    assert "a key valid from 9995-03-01 would outlast the calendar (year 9999)" in result.stderr
    assert not (setup.root / "far").exists()
