"""The ``unadocs`` command line: parse arguments, call the library, print, exit.

No business rules live here. Every :class:`~unadocs.errors.UnadocsError`
becomes a plain message and exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

from unadocs import __version__
from unadocs.errors import SpecError, UnadocsError


class _Group(click.Group):
    """Turns user errors into messages and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SpecError as exc:
            _fail_spec(exc)
        except UnadocsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


def _fail_spec(exc: SpecError) -> NoReturn:
    source = f"{exc.source}: " if exc.source else ""
    for problem in exc.problems:
        click.echo(f"error: {source}{problem}", err=True)
    count = len(exc.problems)
    click.echo(f"{count} error{'s' if count != 1 else ''}; nothing was written.", err=True)
    sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unadocs")
def main() -> None:
    """Consortium agreements and joint certificates for Una Europa micro-credentials."""


@main.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON, for tools.")
def check(spec: str, as_json: bool) -> None:
    """Validate SPEC and print a summary and the framework advisories.

    Exits 0 when the spec is valid (advisories never block) and 1 with every
    error, each with its field path and line.
    """
    from unadocs.load import load_spec
    from unadocs.summary import summarise

    if as_json:
        try:
            consortium = load_spec(spec)
        except SpecError as exc:
            payload = {"valid": False, "source": spec, "errors": [
                {"path": p.path, "line": p.line, "message": p.message} for p in exc.problems]}
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
            sys.exit(1)
        payload = {"valid": True, "source": spec, "summary": summarise(consortium),
                   "advisories": [a.as_dict() for a in consortium.advisories()], "errors": []}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return

    consortium = load_spec(spec)
    from unadocs.summary import summary_text

    click.echo(summary_text(consortium))
    advisories = consortium.advisories()
    if advisories:
        click.echo("")
        for advisory in advisories:
            click.echo(click.style(str(advisory), fg="yellow"))
    click.echo("")
    n = len(advisories)
    click.echo(f"valid: {spec} ({n} advisor{'ies' if n != 1 else 'y'})")


@main.command()
def schema() -> None:
    """Print the JSON Schema of a spec, for editor validation and completion."""
    from unadocs.schema import spec_schema

    click.echo(json.dumps(spec_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=str), default="demo",
              show_default=True, help="Directory for the demo's outputs.")
def demo(out_dir: str) -> None:
    """Run the main job on the embedded example (Micro-credential in Sustainability)."""
    from unadocs.load import load_spec
    from unadocs.resources import example_spec
    from unadocs.summary import summary_text

    spec_path = example_spec()
    consortium = load_spec(spec_path)
    click.echo(f"== check {spec_path}")
    click.echo(summary_text(consortium))
    for advisory in consortium.advisories():
        click.echo(click.style(str(advisory), fg="yellow"))

    from pathlib import Path

    from unadocs.agreement import build_accession_form, build_agreement

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    agreement_path = Path(out_dir) / "agreement.docx"
    _write_document(str(agreement_path), build_agreement(consortium))
    joining = consortium.planned_accessions[-1].id if consortium.planned_accessions else None
    form = joining or "blank"
    accession_path = Path(out_dir) / f"accession-{form}.docx"
    if consortium.accession.enabled:
        _write_document(str(accession_path), build_accession_form(consortium, joining))
    click.echo(f"\n== agreement\nagreement:              {agreement_path}")
    if consortium.accession.enabled:
        click.echo(f"{'accession form (' + form + '):':<24}{accession_path}")

    from unadocs.certificate.demo import demo_certificates
    from unadocs.resources import example_learners

    click.echo(f"\n== certificates for {example_learners()}")
    done = demo_certificates(consortium, example_learners(), Path(out_dir))
    click.echo(f"demo signing key:       {done.key_path}")
    click.echo(f"trust list:             {done.trust_path}")
    _print_issued(done.results, str(done.out_dir), str(done.combined) if done.combined else None)
    click.echo("beside each PDF: <learner_id>.elm.jsonld (Europass wallet), .ob3.json and .ob3.jwt (Open Badges 3.0)")
    if done.verified is not None:
        click.echo(f"\n== verify {done.verified}")
        click.echo(f"{done.verdict}: {done.verdict_message}")
        if consortium.is_draft:
            click.echo("(the example agreement is a draft, so its certificates are specimens and never valid)")

    # == the verification page (issue 6) ==
    from unadocs.verifier.demo import demo_site

    shown = demo_site(consortium, example_learners(), done.key_path, done.trust_path, Path(out_dir) / "verifier")
    click.echo(f"\n== verification page for the demo key\nsite:                   {shown.site.directory}")
    click.echo(f"open a valid example:   {shown.valid_url}")
    if shown.specimen_url is not None:
        click.echo("  (sealed as the approved agreement would issue it, with the demo key)")
        click.echo(f"open the specimen:      {shown.specimen_url}")


def _write_document(path: str, data: bytes) -> None:
    """Write atomically (temporary file + rename): never a partial file."""
    from pathlib import Path

    from unadocs.files import atomic_write

    try:
        atomic_write(Path(path), data)
    except OSError as exc:
        raise UnadocsError(f"cannot write {path}: {exc.strerror or exc}") from None


@main.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.option("-o", "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The .docx file to write.")
@click.option("--final", is_flag=True, help="Leave out the DRAFT watermark and the drafting notes.")
@click.option("--notes", type=click.Choice(["comments", "inline"]), default="comments", show_default=True,
              help="Drafting notes of a draft as Word comments on their clause, or as bracketed paragraphs.")
@click.option("--toc-pages", type=click.Choice(["auto", "libreoffice", "on-open"]), default="auto",
              show_default=True, help="Who computes the page numbers of the table of contents: LibreOffice now, "
                                      "Word when the file is opened, or LibreOffice if it is installed.")
def agreement(spec: str, out_path: str, final: bool, notes: str, toc_pages: str) -> None:
    """Draft the Consortium Agreement for SPEC as a Word document.

    Refuses an invalid spec with the same messages as 'check'; writes nothing
    then. Prints the drafting lint's findings as warnings.
    """
    from unadocs.agreement import build_agreement, lint_agreement
    from unadocs.load import load_spec

    consortium = load_spec(spec)
    _write_document(out_path, build_agreement(consortium, final=final, notes=notes,  # type: ignore[arg-type]
                                              toc_pages=toc_pages))  # type: ignore[arg-type]
    click.echo(f"agreement: {out_path}")
    for finding in lint_agreement(consortium):
        click.echo(click.style(f"warning {finding}", fg="yellow"), err=True)


@main.command()
@click.argument("spec", required=False, type=click.Path(path_type=str))
@click.option("--lint", is_flag=True, help="Run the drafting lint: on SPEC's agreement, or without SPEC on every "
                                           "variant in clauses/variants.yaml.")
def clauses(spec: str | None, lint: bool) -> None:
    """List the clauses SPEC selects, with their numbers and why each variant was chosen.

    With --lint, check the agreement's drafting instead (defined terms,
    cross-references, annexes, wording) and exit 1 on any finding.
    """
    from unadocs.agreement import chosen_clauses
    from unadocs.load import load_spec

    if lint:
        _lint(spec)
        return
    if spec is None:
        raise click.UsageError("give a SPEC, or --lint to check every variant of the clause library")
    for clause in chosen_clauses(load_spec(spec)):
        number = clause.number or ""
        if clause.kind == "part":
            line = f"    {number:<12} {clause.heading}"
        else:
            line = f"{number:<16} {clause.heading.upper() if clause.kind == 'clause' else clause.heading}"
        click.echo(f"{line:<64} [{clause.file}]")
        if clause.reason != "always applies":
            click.echo(f"{'':<20}because {clause.reason}")


def _lint(spec: str | None) -> None:
    """Print the drafting lint's findings for SPEC, or for every variant of the library; exit 1 on any."""
    from unadocs.agreement import lint_agreement, lint_library
    from unadocs.load import load_spec, read_yaml
    from unadocs.resources import example_spec

    if spec is not None:
        findings, checked = lint_agreement(load_spec(spec)), f"the agreement of {spec}"
    else:
        base, _ = read_yaml(example_spec().read_text(encoding="utf-8"), str(example_spec()))
        findings, checked = lint_library(base), "every variant in clauses/variants.yaml"
    for finding in findings:
        click.echo(str(finding))
    n = len(findings)
    click.echo(f"{n} finding{'s' if n != 1 else ''} in {checked}", err=True)
    if findings:
        sys.exit(1)


@main.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.option("--partner", "partner_id", help="Id of the partner that joins (e.g. KUL), as listed in "
                                              "accession.accessions. Without it: the blank form.")
@click.option("-o", "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The .docx file to write.")
def accession(spec: str, partner_id: str | None, out_path: str) -> None:
    """Write the Accession Form (Annex 4) for a planned accession, pre-filled, or blank.

    The partner must be listed under accession.accessions with a date after
    the agreement's date: an original party signs the agreement itself, and
    an acceded one has signed its form already.
    """
    from unadocs.agreement import build_accession_form
    from unadocs.load import load_spec

    _write_document(out_path, build_accession_form(load_spec(spec), partner_id))
    click.echo(f"accession form: {out_path}")


def _count_rows(results: Any) -> tuple[int, int]:
    """Print each failed row as ``error: row N: reason``; return (done, failed)."""
    done = failed = 0
    for result in results:
        if result.ok:
            done += 1
        else:
            failed += 1
            click.echo(f"error: row {result.row}: {result.reason}", err=True)
    return done, failed


def _print_issued(results: Any, out_dir: str, combined: str | None) -> int:
    """Print each failed row and a summary line; return the number of failures."""
    issued, failed = _count_rows(results)
    click.echo(f"{issued} issued, {failed} failed; certificates (PDF + JSON) in {out_dir}")
    if combined and issued:
        click.echo(f"print file (all certificates in list order): {combined}")
    return failed


@main.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.argument("learners", type=click.Path(path_type=str))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The issuer's signing key (PEM from 'unadocs keys generate').")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for DIR/<learner_id>.pdf and .json.")
@click.option("--combined", type=click.Path(dir_okay=False, path_type=str),
              help="Also write one print-ready PDF of all certificates, in list order.")
@click.option("--formats", "formats_text", default="pdf", show_default=True,
              help="Comma-separated: pdf, and elm (<learner_id>.elm.jsonld, Europass) and/or ob3 "
                   "(<learner_id>.ob3.json and .ob3.jwt, Open Badges 3.0) beside each PDF.")
@click.option("--template", "template_dir", type=click.Path(file_okay=False, path_type=str),
              help="A restyled copy of templates/certificate (colours, artwork, logo) to render with.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Worker processes. Default: the machine's cores.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
def certificates(spec: str, learners: str, key_path: str, out_dir: str, combined: str | None,
                 formats_text: str, template_dir: str | None, jobs: int | None, quiet: bool) -> None:
    """Issue a signed joint certificate to every learner in LEARNERS (CSV or XLSX).

    Required columns: learner_id, given_names, family_name, issued; optional:
    date_of_birth, email, grade. A bad row is reported with its row number and
    every good row is still issued; the exit status is 1 if any row failed.
    Bad rows are also listed in DIR/errors.csv. Run the same command again
    after an interruption: finished certificates are kept (DIR/manifest.jsonl).
    """
    from unadocs.certificate.issue import issue_certificates
    from unadocs.certificate.learners import count_rows
    from unadocs.certificate.progress import show_progress, worker_pool
    from unadocs.export.write import parse_formats
    from unadocs.load import load_spec
    from unadocs.seal.keys import load_signer

    formats = parse_formats(formats_text)
    if "pdf" not in formats:
        raise UnadocsError("'certificates' always writes the PDF: add pdf to --formats, "
                           "or use 'unadocs export elm|ob3' for the exports alone")
    with worker_pool(jobs) as executor:  # first: its workers' imports run while the spec is read
        consortium = load_spec(spec)
        signer = load_signer(key_path)
        if consortium.is_draft:
            click.echo(click.style("the agreement is a draft: every certificate is a SPECIMEN and never verifies as "
                                   "valid", fg="yellow"), err=True)
        results = issue_certificates(consortium, learners, signer, out_dir, combined=combined, formats=formats,
                                     template=template_dir, executor=executor)
        failed = _print_issued(show_progress(results, count_rows(learners), quiet=quiet), out_dir, combined)
    if failed:
        sys.exit(1)


@main.command("export")
@click.argument("format_", metavar="elm|ob3", type=click.Choice(["elm", "ob3"]))
@click.argument("spec", type=click.Path(path_type=str))
@click.argument("learners", type=click.Path(path_type=str))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for DIR/<learner_id>.elm.jsonld, or .ob3.json and .ob3.jwt.")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=str),
              help="The issuer's signing key; required for ob3, whose credential is signed.")
def export(format_: str, spec: str, learners: str, out_dir: str, key_path: str | None) -> None:
    """Export every learner in LEARNERS as a European Learning Model credential (elm,
    for the Europass wallet) or an Open Badges 3.0 credential (ob3, for badge platforms).

    A bad row is reported with its row number and every good row is still
    exported; the exit status is 1 if any row failed.
    """
    from unadocs.export.write import export_credentials
    from unadocs.load import load_spec
    from unadocs.seal.keys import load_signer

    if format_ == "ob3" and key_path is None:
        raise UnadocsError("ob3 credentials are signed: give the issuer's key with --key")
    consortium = load_spec(spec)
    signer = load_signer(key_path) if key_path is not None else None
    if consortium.is_draft:
        click.echo(click.style("the agreement is a draft: every credential is a SPECIMEN", fg="yellow"), err=True)
    exported, failed = _count_rows(export_credentials(consortium, learners, out_dir, (format_,), signer))
    click.echo(f"{exported} exported, {failed} failed; {format_} credentials in {out_dir}")
    if failed:
        sys.exit(1)


# -- the seal: keys and verification -------------------------------------------------


def _parse_day(value: str | None, option: str) -> Any:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not a date YYYY-MM-DD: {value!r}", param_hint=option) from None


@main.group()
def keys() -> None:
    """Issuer signing keys and the trust list."""


@keys.command("generate")
@click.option("--issuer", required=True,
              help="Partner id of the issuer, as in the spec's certificate.issuer (e.g. UH).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for the key file and trust.json.")
@click.option("--valid-from", help="First day the key may sign (YYYY-MM-DD). Default: today.")
@click.option("--valid-until", help="Last day the key may sign (YYYY-MM-DD). Default: five years after --valid-from.")
def keys_generate(issuer: str, out_dir: str, valid_from: str | None, valid_until: str | None) -> None:
    """Generate an Ed25519 signing key for ISSUER and add its public key to OUT/trust.json.

    The private key goes to OUT/<issuer>-<key id>.pem with mode 0600 and is
    never printed; an existing file is never overwritten.
    """
    from datetime import date
    from pathlib import Path

    from unadocs.seal.keys import default_valid_until, generate_key

    start = _parse_day(valid_from, "--valid-from") or date.today()
    end = _parse_day(valid_until, "--valid-until") or default_valid_until(start)
    info = generate_key(issuer, Path(out_dir), valid_from=start, valid_until=end)
    click.echo(f"key {info.key_id} for issuer {info.issuer}, valid {info.valid_from} to {info.valid_until}")
    click.echo(f"private key (keep secret, mode 0600): {info.private_key_path}")
    click.echo(f"trust list (publish to verifiers):    {info.trust_path}")


@keys.command("revoke")
@click.argument("credential_id")
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The trust list to add the revocation to.")
@click.option("--reason", help="Why, in a few words (shown to verifiers).")
@click.option("--date", "day", help="Date of the revocation (YYYY-MM-DD). Default: none recorded.")
def keys_revoke(credential_id: str, trust_path: str, reason: str | None, day: str | None) -> None:
    """Revoke CREDENTIAL_ID in a trust list: verifiers using it will report the certificate as revoked."""
    from unadocs.seal.trust import Revocation, TrustList

    revocation = Revocation(credential_id, reason or None, _parse_day(day, "--date"))
    TrustList.load(trust_path).with_revocation(revocation).save(trust_path)
    click.echo(f"revoked {credential_id} in {trust_path}")


_FIELD_LABELS = (
    ("name", "name"), ("title", "title"), ("issued", "issued"), ("ects", "ECTS"), ("eqf", "EQF level"),
    ("awarding", "awarding bodies"), ("issuer", "issuer"), ("credential_id", "credential id"), ("key_id", "key id"),
)


@main.command()
@click.argument("input_", metavar="INPUT")
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Trust list (trust.json) with the issuers' public keys and revocations.")
@click.option("--record", "record_path", type=click.Path(dir_okay=False, path_type=str),
              help="The certificate's JSON record, to check against the seal.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON, for tools.")
def verify(input_: str, trust_path: str, record_path: str | None, as_json: bool) -> None:
    """Verify a certificate: INPUT is its PDF, a photo or scan of its QR code (PNG/JPEG),
    the verification link, the token, or its Open Badges credential (.ob3.jwt);
    '-' reads it from standard input.

    Exits 0 and prints the verified fields when valid; otherwise exits 1 with
    the reason: malformed, unknown-key, bad-signature, key-not-valid-on-date,
    revoked, specimen or record-mismatch.
    """
    from pathlib import Path

    from unadocs.seal.trust import TrustList
    from unadocs.seal.verify import MAX_INPUT_BYTES
    from unadocs.seal.verify import verify as verify_input

    trust = TrustList.load(trust_path)
    record = None
    if record_path is not None:
        try:
            record = Path(record_path).read_bytes()
        except OSError as exc:
            raise UnadocsError(f"{record_path}: cannot read the record ({exc.strerror})") from None
    source: str | bytes | Path = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1) if input_ == "-" else input_
    result = verify_input(source, trust, record=record)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        if result.valid:
            click.echo(f"VALID: {result.message}")
        else:
            click.echo(f"NOT VALID ({result.reason}): {result.message}")
            if result.fields:
                click.echo("The seal is genuine; it reads:")
        for key, label in _FIELD_LABELS:
            if key in result.fields:
                value = result.fields[key]
                text = ", ".join(value) if isinstance(value, list) else str(value)
                click.echo(f"  {label + ':':17}{text}")
    if not result.valid:
        sys.exit(1)


# -- the verification page ---------------------------------------------------------


@main.command("verifier-site")
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Trust list (trust.json) with the issuers' public keys and revocations.")
@click.option("--revoked", "revoked_path", type=click.Path(dir_okay=False, path_type=str),
              help="More revoked credentials: a JSON list, or an object with 'revoked' as in the trust list.")
@click.option("--spec", "specs", multiple=True, type=click.Path(dir_okay=False, path_type=str),
              help="A spec whose partners' official names the page shows for their ids (repeatable).")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for the site's files.")
def verifier_site(trust_path: str, revoked_path: str | None, specs: tuple[str, ...], out_dir: str) -> None:
    """Write the static verification page for the certificates' verification_url.

    Host DIR at that URL on any plain web server: the page checks the token in
    the link's #fragment in the browser, as 'unadocs verify' does.
    """
    from unadocs.load import load_spec
    from unadocs.seal.trust import TrustList
    from unadocs.verifier.site import build_verifier_site, load_revocations, partner_names

    trust = TrustList.load(trust_path)
    revoked = load_revocations(revoked_path) if revoked_path else ()
    names = partner_names(*(load_spec(spec) for spec in specs))
    site = build_verifier_site(out_dir, trust, revoked=revoked, names=names)
    for path in site.files:
        click.echo(f"wrote {path}")
    click.echo(f"verification page: {site.index}")


if __name__ == "__main__":  # pragma: no cover
    main()
