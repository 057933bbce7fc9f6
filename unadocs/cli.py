"""The ``unadocs`` command line: parse arguments, call the library, print, exit.

No business rules live here. Every :class:`~unadocs.errors.UnadocsError`
becomes a plain message and exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from unadocs._version import __version__
from unadocs.errors import SpecError, UnadocsError

if TYPE_CHECKING:
    from unadocs.model import Consortium


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


def _fail_spec(*errors: SpecError) -> NoReturn:
    count = 0
    for exc in errors:
        source = f"{exc.source}: " if exc.source else ""
        for problem in exc.problems:
            click.echo(f"error: {source}{problem}", err=True)
        count += len(exc.problems)
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
    from unadocs.checks import advisories
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
        unfit = _certificate_unfit(consortium)
        payload = {"valid": unfit is None, "source": spec, "summary": summarise(consortium),
                   "advisories": [a.as_dict() for a in advisories(consortium)],
                   "errors": [] if unfit is None else [{"path": unfit[0], "line": unfit[1], "message": unfit[2]}]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        sys.exit(0 if unfit is None else 1)

    consortium = load_spec(spec)
    from unadocs.summary import summary_text

    click.echo(summary_text(consortium))
    found = advisories(consortium)
    if found:
        click.echo("")
        for advisory in found:
            click.echo(click.style(str(advisory), fg="yellow"))
    click.echo("")
    unfit = _certificate_unfit(consortium)
    if unfit:
        path, line, text = unfit
        where = f" (line {line})" if line is not None else ""
        click.echo(click.style(f"error: {spec}: {path}{where}: {text}", fg="red"), err=True)
        sys.exit(1)
    n = len(found)
    click.echo(f"valid: {spec} ({n} advisor{'ies' if n != 1 else 'y'})")


def _certificate_unfit(consortium: Consortium) -> tuple[str, int | None, str] | None:
    """Why the spec's certificates would not fit the template, as (field, line, message), or None when they fit.

    Issuing would fail every learner on such a spec, so ``check`` says it first, whatever the number of languages
    (it renders the shared part of a certificate once: about 3 s).
    """
    from unadocs.issuing.layout import certificate_fit_problem

    problem = certificate_fit_problem(consortium)
    if problem is None:
        return None
    languages = consortium.certificate.languages
    if len(languages) < 2:
        return ("credential", consortium.source_line(("credential",)),
                f"the certificate does not fit the template: {problem}")
    return ("certificate.languages", consortium.source_line(("certificate", "languages")),
            f"a certificate in {', '.join(languages)} does not fit the template: {problem}. Choose fewer "
            "languages, or shorten the texts given per language")


@main.command()
@click.option("-o", "--out", "out_path", default="spec.yaml", show_default=True,
              type=click.Path(dir_okay=False, path_type=str), help="The spec file to write (never overwritten).")
@click.option("--defaults", is_flag=True, help="Ask nothing: write the default answers (for scripts).")
def init(out_path: str, defaults: bool) -> None:
    """Start a new spec by answering a few questions, then check it.

    Asks for the partners (from the Una Europa registry), the credential's
    title, size and level, the finance model, the term and the law; writes a
    commented, valid spec whose other fields are defaults or placeholders that
    'unadocs check' lists until they are filled in.
    """
    from pathlib import Path

    from unadocs.checks import advisories
    from unadocs.load import parse_spec
    from unadocs.starter import StarterAnswers, starter_spec

    path = Path(out_path)
    if path.exists() or path.is_symlink():
        raise UnadocsError(f"{path} already exists; it was not overwritten (choose another name with -o)")
    answers = StarterAnswers() if defaults else _ask_starter_answers()
    text = starter_spec(answers)
    consortium = parse_spec(text, source=str(path))  # the starter makes valid specs; a failure is unadocs' bug
    _write_new_document(path, text.encode("utf-8"))
    found = advisories(consortium)
    click.echo(f"wrote {path}: valid, with {len(found)} field(s) still to complete or review:")
    for advisory in found:
        click.echo(click.style(f"  {advisory}", fg="yellow"))
    click.echo(f"next: edit {path}, then 'unadocs check {path}' and 'unadocs agreement {path} -o agreement.docx'")


def _ask_starter_answers() -> Any:
    """The questions of 'unadocs init', each answer checked as it is given."""
    from decimal import Decimal, InvalidOperation

    from unadocs.model.base import Money, code_for_name, is_country
    from unadocs.model.registry import members
    from unadocs.starter import StarterAnswers

    default = StarterAnswers()
    registry = members()
    click.echo("A new joint Una Europa micro-credential. Press Enter to take the [default].")
    click.echo("Una Europa members: " + ", ".join(f"{code} ({entry.name})" for code, entry in sorted(registry.items())))

    def member_list(text: str) -> tuple[str, ...]:
        codes = tuple(part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip())
        unknown = [code for code in codes if code not in registry]
        if unknown:
            raise click.BadParameter(f"not a member code: {', '.join(unknown)} (see the list above)")
        if len(set(codes)) < 3:
            raise click.BadParameter("a joint micro-credential needs at least three different members (framework §2.2)")
        return codes

    def choice(*options: str) -> Any:
        def check(text: str) -> str:
            if text.strip().lower() not in options:
                raise click.BadParameter(f"one of {', '.join(options)}")
            return text.strip().lower()
        return check

    def ects(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise click.BadParameter("a number of ECTS, like 5 or 7.5") from None
        if not value.is_finite() or value <= 0 or value > 60 or value % Decimal("0.25"):
            raise click.BadParameter("a number of ECTS from 0.25 to 60, in quarters")
        return value

    def languages(text: str) -> tuple[str, ...]:
        from unadocs.model.base import language_name

        codes = []
        for part in (p.strip() for p in text.replace(";", ",").split(",") if p.strip()):
            code = part.lower() if len(part) == 2 else code_for_name("languages", part)
            try:
                if code is None:
                    raise KeyError(part)
                language_name(code)
            except KeyError:
                raise click.BadParameter(f"{part!r} is not a language (write en, fr, or English)") from None
            codes.append(code)
        if not codes:
            raise click.BadParameter("at least one language")
        return tuple(codes)

    def fee(text: str) -> str:
        try:
            Money.parse(text)
        except ValueError as exc:  # pydantic's custom error is a ValueError
            raise click.BadParameter(str(exc)) from None
        return text.strip()

    def law(text: str) -> str:
        from unadocs.model.jurisdictions import SUBDIVISIONS

        code = text.strip().upper()
        if code in SUBDIVISIONS or (is_country(code) and code != "GB"):
            return code
        named = code_for_name("territories", text)
        raise click.BadParameter(f"an ISO 3166 country code like BE or FI, or GB-SCT{f'; {named}?' if named else ''}")

    title = click.prompt("Title of the micro-credential", default=default.title).strip() or default.title
    codes = click.prompt("Partner members, comma-separated (at least three)", default=",".join(default.members),
                         value_proc=member_list)
    lead = click.prompt("The lead (who enrols learners and issues the certificates)", default=codes[0],
                        value_proc=choice(*codes))
    workload = click.prompt("Workload in ECTS", default=str(default.ects), value_proc=ects)
    level = click.prompt("EQF level", default=str(default.eqf_level), value_proc=choice("5", "6", "7", "8"))
    taught = click.prompt("Languages of instruction", default=",".join(default.languages), value_proc=languages)
    participation = click.prompt("Participation (online, on-site, hybrid, blended)", default=default.participation,
                                 value_proc=choice("online", "on-site", "hybrid", "blended"))
    model = click.prompt("Finance model (centralised, decentralised, mixed)", default=default.finance_model,
                         value_proc=choice("centralised", "decentralised", "mixed"))
    external = click.prompt("Fee for learners from outside the alliance", default=default.external_fee,
                            value_proc=fee)
    start = click.prompt("First day of the agreement (YYYY-MM-DD)", default=default.start.isoformat(),
                         value_proc=lambda text: _parse_day(text, "start"))
    years = click.prompt("Duration in years (at most 4)", default=str(default.duration_years),
                         value_proc=choice("1", "2", "3", "4"))
    applicable = click.prompt("Governing law (country code)", default=default.law, value_proc=law)
    return StarterAnswers(title=title, members=codes, lead=lead, ects=workload, eqf_level=int(level),
                          languages=taught, participation=participation, finance_model=model,
                          external_fee=external, start=start, duration_years=int(years), law=applicable)


def _write_new_document(path: Any, data: bytes) -> None:
    """Write a new file whole, refusing to replace one that appeared meanwhile."""
    from unadocs.files import create_new_file

    try:
        create_new_file(path, data)
    except FileExistsError:
        raise UnadocsError(f"{path} already exists; it was not overwritten") from None
    except OSError as exc:
        raise UnadocsError(f"cannot write {path}: {exc.strerror or exc}") from None


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
    from unadocs.checks import advisories
    from unadocs.load import load_spec
    from unadocs.resources import example_spec
    from unadocs.summary import summary_text

    spec_path = example_spec()
    consortium = load_spec(spec_path)
    click.echo(f"== check {spec_path}")
    click.echo(summary_text(consortium))
    for advisory in advisories(consortium):
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

    from unadocs.issuing.demo import demo_certificates
    from unadocs.resources import example_learners

    click.echo(f"\n== certificates for {example_learners()}")
    done = demo_certificates(consortium, example_learners(), Path(out_dir))
    click.echo(f"demo signing key:       {done.key_path}")
    click.echo(f"trust list:             {done.trust_path}")
    click.echo(f"TEST eSeal (demo only): {done.eseal_path}")
    click.echo(f"  from a demo authority, {done.eseal_ca}: a TEST seal, not a qualified one; nothing trusts it")
    _print_issued(done.results, str(done.out_dir), str(done.combined) if done.combined else None)
    click.echo("beside each PDF: <learner_id>.elm.jsonld (Europass wallet) and .elm.jades.json (the same, "
               "TEST-sealed), .ob3.json and .ob3.jwt (Open Badges 3.0)")
    if done.verified is not None:
        click.echo(f"\n== verify {done.verified}")
        click.echo(f"{done.verdict}: {done.verdict_message}")
        if consortium.is_draft:
            click.echo("(the example agreement is a draft, so its certificates are specimens and never valid)")
        if done.eseal is not None:
            state = "valid" if done.eseal.valid else f"NOT VALID: {done.eseal.problem}"
            click.echo(f"TEST eSeal ({done.eseal.form} {done.eseal.level}): {state}; sealed by {done.eseal.subject}")
            click.echo(f"  its chain {done.eseal.chain} (the demo authority, given with --trust-roots); check it with "
                       f"pdfsig {done.verified}")

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
@click.argument("old", type=click.Path(path_type=str))
@click.argument("new", type=click.Path(path_type=str))
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, path_type=str),
              help="Write the redline: NEW's agreement with every difference from OLD as Word tracked changes.")
@click.option("--author", default="unadocs", show_default=True, help="Who the tracked changes are by, as Word "
                                                                     "shows them.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, for tools.")
@click.option("--final", is_flag=True, help="Compare the agreements without the DRAFT watermark and drafting notes.")
@click.option("--notes", type=click.Choice(["comments", "inline"]), default="comments", show_default=True,
              help="NEW's drafting notes as Word comments (not compared), or as bracketed paragraphs (compared).")
@click.option("--toc-pages", type=click.Choice(["auto", "libreoffice", "on-open"]), default="auto",
              show_default=True, help="Who computes the page numbers of the table of contents (NEW's), as for "
                                      "'unadocs agreement'.")
def compare(old: str, new: str, out_path: str | None, author: str, as_json: bool, final: bool, notes: str,
            toc_pages: str) -> None:
    """Compare two versions of an agreement: what changed, and with -o a redline.

    Prints the spec fields that changed (old -> new) and the clauses added,
    removed or reworded, by number and heading. With -o, also writes NEW's
    agreement with every difference from OLD as tracked changes that Word and
    LibreOffice can accept or reject, dated NEW's date. Both specs are checked
    first, with the same messages as 'check'; nothing is written then.
    """
    from unadocs.agreement import agreement_changes, compare_agreements

    if out_path is not None and _same_file(out_path, old, new):
        raise UnadocsError(f"{out_path} is one of the specs compared; write the redline to another file")
    older, newer = _load_both(old, new, as_json)
    changes = agreement_changes(older, newer, final=final, notes=notes)  # type: ignore[arg-type]
    if out_path is not None:
        _write_document(out_path, compare_agreements(older, newer, author=author, final=final,
                                                     notes=notes,  # type: ignore[arg-type]
                                                     toc_pages=toc_pages))  # type: ignore[arg-type]
    if as_json:
        payload = {"old": old, "new": new, "redline": out_path, **changes.as_dict()}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_changes(changes, old, new, out_path)
    if newer.agreement.reference != older.agreement.reference:
        click.echo(click.style(f"warning: {new} is agreement {newer.agreement.reference} and {old} agreement "
                               f"{older.agreement.reference}: are these two versions of one agreement?",
                               fg="yellow"), err=True)
    if newer.agreement.date < older.agreement.date:
        click.echo(click.style(f"warning: {new} is dated {newer.agreement.date.isoformat()}, before {old} "
                               f"({older.agreement.date.isoformat()}); is the older version given first?",
                               fg="yellow"), err=True)


def _same_file(path: str, *others: str) -> bool:
    from pathlib import Path

    target = Path(path).resolve()
    return any(target == Path(other).resolve() for other in others)


def _load_both(old: str, new: str, as_json: bool) -> tuple[Any, Any]:
    """Both specs, or every problem of both (each naming its file) and exit status 1."""
    from unadocs.load import load_spec

    loaded, failed = [], []
    for path in (old, new):
        try:
            loaded.append(load_spec(path))
        except SpecError as exc:
            failed.append(exc)
    if not failed:
        return loaded[0], loaded[1]
    if as_json:
        errors = [{"source": exc.source, "path": p.path, "line": p.line, "message": p.message}
                  for exc in failed for p in exc.problems]
        click.echo(json.dumps({"valid": False, "errors": errors}, indent=2, ensure_ascii=False))
        sys.exit(1)
    _fail_spec(*failed)


def _print_changes(changes: Any, old: str, new: str, out_path: str | None) -> None:
    click.echo(f"version {changes.new_version} ({new}), compared with {changes.old_version} ({old})")
    if changes.unchanged:
        click.echo("no differences: the two specs give the same agreement")
    if changes.fields:
        click.echo("\nSpec fields")
        for field in changes.fields:
            click.echo(f"  {field}")
    if changes.clauses:
        click.echo("\nClauses")
        for clause in changes.clauses:
            click.echo(f"  {clause}")
    if out_path is not None:
        click.echo(f"\nredline: {out_path}")


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


def _count_rows(results: Any) -> tuple[int, int, int]:
    """Print each failed row as ``error: row N (learner id): reason``; return (done, unchanged, failed)."""
    done = unchanged = failed = 0
    for result in results:
        if not result.ok:
            failed += 1
            who = f" ({result.learner_id})" if result.learner_id else ""
            click.echo(f"error: row {result.row}{who}: {result.reason}", err=True)
        elif result.skipped:
            unchanged += 1
        else:
            done += 1
    return done, unchanged, failed


def _print_issued(results: Any, out_dir: str, combined: str | None, verb: str = "issued") -> int:
    """Print each failed row and a summary line; return the number of failures."""
    done, unchanged, failed = _count_rows(results)
    click.echo(f"{done} {verb}, {unchanged} unchanged, {failed} failed; files in {out_dir}")
    if combined and done + unchanged:
        click.echo(f"print file (the certificates in list order): {combined}")
    return failed


def _print_superseded(superseded: list[Any], trust_path: str, out_dir: str) -> None:
    """Tell the user which earlier certificates the corrected ones replace, and the command that revokes them."""
    if not superseded:
        return
    count = len(superseded)
    click.echo(click.style(
        f"{count} corrected certificate{'s' if count != 1 else ''} replace{'s' if count == 1 else ''} an earlier one, "
        "which still verifies until you revoke it:", fg="yellow"), err=True)
    for item in superseded[:10]:
        click.echo(f"  unadocs keys revoke {item.credential_id} --superseded-by {item.superseded_by} "
                   f"--trust {_quoted(trust_path)}", err=True)
    if count > 10:
        click.echo(f"  ... and {count - 10} more", err=True)
    click.echo(f"or all at once: unadocs keys revoke --superseded-in {_quoted(out_dir)} --trust {_quoted(trust_path)}",
               err=True)
    click.echo("then publish the trust list to the verification page.", err=True)


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


_TRUST_HELP = ("The trust list that holds the key (default: trust.json beside the key file); it says whose key it "
               "is, never the key file itself.")
#: Where the eSeal's PKCS#12 password or token PIN comes from when no file gives it.
ESEAL_PASSWORD_VARIABLE = "UNADOCS_ESEAL_PASSWORD"
_MAX_PASSWORD_FILE = 4096


def _eseal_options(command: Any) -> Any:
    """The options that seal a run with the university's eIDAS seal (``certificates`` and ``export``)."""
    options = [
        click.option("--eseal", "eseal_p12", metavar="FILE.p12", type=click.Path(dir_okay=False, path_type=str),
                     help="The university's eIDAS seal: a PKCS#12 file with its key, certificate and chain, from "
                          "its trust service provider. Seals each PDF (PAdES) and ELM credential (JAdES)."),
        click.option("--eseal-password-file", type=click.Path(dir_okay=False, path_type=str),
                     help=f"A file holding the PKCS#12 password or the token's PIN (else {ESEAL_PASSWORD_VARIABLE}, "
                          "else a prompt on a terminal)."),
        click.option("--eseal-pkcs11", "eseal_module", metavar="MODULE", type=click.Path(dir_okay=False, path_type=str),
                     help="Instead of --eseal: the PKCS#11 module (a .so) of the token or HSM with the seal's key."),
        click.option("--eseal-token", metavar="LABEL", help="With --eseal-pkcs11: the token's label."),
        click.option("--eseal-key", metavar="LABEL", help="With --eseal-pkcs11: the label of the seal's key."),
        click.option("--eseal-certificate", metavar="LABEL",
                     help="With --eseal-pkcs11: the label of the seal certificate (default: the key's label)."),
        click.option("--tsa", metavar="URL", help="An RFC 3161 timestamp server: the seals are B-T (else B-B)."),
        click.option("--eseal-any-subject", is_flag=True,
                     help="Seal even if the seal certificate names another organisation than the issuer "
                          "(a pilot certificate, in a test)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _load_eseal(eseal_p12: str | None, eseal_password_file: str | None, eseal_module: str | None,
                eseal_token: str | None, eseal_key: str | None, eseal_certificate: str | None, tsa: str | None,
                **_: Any) -> Any:
    """The eSeal the options name, or None; the password or PIN from its file, the variable or a prompt."""
    if eseal_p12 is not None and eseal_module is not None:
        raise click.UsageError("give the seal either as --eseal FILE.p12 or as --eseal-pkcs11 MODULE, not both")
    pkcs11_only = {"--eseal-token": eseal_token, "--eseal-key": eseal_key, "--eseal-certificate": eseal_certificate}
    if eseal_module is None and any(v is not None for v in pkcs11_only.values()):
        given = next(name for name, v in pkcs11_only.items() if v is not None)
        raise click.UsageError(f"{given} names an object on a token: give the token's module with --eseal-pkcs11")
    if eseal_p12 is None and eseal_module is None:
        if tsa is not None or eseal_password_file is not None:
            raise click.UsageError("--tsa and --eseal-password-file go with a seal: give --eseal or --eseal-pkcs11")
        return None
    _quiet_pyhanko()
    if eseal_p12 is not None:
        from unadocs.seal.eseal import load_eseal

        return load_eseal(eseal_p12, _eseal_secret(eseal_password_file, f"password of {eseal_p12}"), tsa=tsa)
    if eseal_token is None or eseal_key is None:
        raise click.UsageError("--eseal-pkcs11 needs --eseal-token LABEL and --eseal-key LABEL")
    from unadocs.seal.eseal import load_eseal_pkcs11

    assert eseal_module is not None
    pin = _eseal_secret(eseal_password_file, f"PIN of token {eseal_token}")
    return load_eseal_pkcs11(eseal_module, eseal_token, eseal_key, pin, certificate=eseal_certificate, tsa=tsa)


def _eseal_secret(path: str | None, what: str) -> str:
    """The eSeal's password or PIN: a file's content (without its final line break), the environment
    variable, or typed at a prompt that does not echo. Never printed."""
    import os
    from pathlib import Path

    from unadocs.errors import SealError
    from unadocs.files import read_bounded

    if path is not None:
        data = read_bounded(Path(path), _MAX_PASSWORD_FILE, "password file", SealError)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SealError(f"{path}: the password file is not UTF-8 text") from None
        return text.removesuffix("\n").removesuffix("\r")
    if ESEAL_PASSWORD_VARIABLE in os.environ:
        return os.environ[ESEAL_PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return str(click.prompt(f"{what} (not shown)", hide_input=True, default="", show_default=False))
    raise UnadocsError(f"the {what} is needed: give --eseal-password-file FILE or set {ESEAL_PASSWORD_VARIABLE}")


def _quiet_pyhanko() -> None:
    """pyHanko logs what it finds wrong in a seal, tracebacks included, and with no logging configured Python
    prints that on the screen; the command line shows its own verdict instead. A handler that drops the
    records does it (the library configures no logging: this is the application's choice)."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())




def _list_options(command: Any) -> Any:
    """The options that say how to read a student system's export (shared by 'certificates' and 'export')."""
    options = [
        click.option("--header-row", type=click.IntRange(min=1),
                     help="Row of the column names (default: the first row that has them all)."),
        click.option("--column", "column_pairs", multiple=True, metavar="NAME=COLUMN",
                     help="Read the export's column NAME as COLUMN (learner_id, given_names, family_name, issued, "
                          "date_of_birth, email, grade, name_latin); 'NAME=' ignores it. Repeatable."),
        click.option("--columns", "column_file", type=click.Path(dir_okay=False, path_type=str),
                     help="A YAML file of such mappings ('Matrikelnummer: learner_id'), kept for the export."),
        click.option("--date-format", "date_format",
                     help="How dates written as text are ordered when day and month could be swapped: "
                          "DD/MM/YYYY or MM/DD/YYYY (also with '.' or '-')."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _layout(header_row: int | None, column_pairs: tuple[str, ...], column_file: str | None,
            date_format: str | None) -> Any:
    from unadocs.load import ListLayout, read_column_map
    from unadocs.load.dates import DateFormat

    columns = read_column_map(column_file) if column_file else {}
    for pair in column_pairs:
        name, equals, target = pair.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"write NAME=COLUMN, like 'Matrikelnummer=learner_id', not {pair!r}",
                                     param_hint="--column")
        columns[name.strip()] = target.strip()
    try:
        order = DateFormat(date_format) if date_format else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date-format") from None
    return ListLayout(header_row=header_row, columns=columns, date_format=order)


def _print_run(run: Any, out_dir: str, trust_path: str | None) -> None:
    """What a run did besides its rows: corrections to revoke, learners no longer in the list."""
    if trust_path is not None:
        _print_superseded(run.superseded, trust_path, out_dir)
    if run.withdrawn:
        click.echo(f"moved the files of {len(run.withdrawn)} learner(s) no longer in the list to "
                   f"{out_dir}/withdrawn/: {', '.join(run.withdrawn)}", err=True)
    elif run.missing:
        shown = ", ".join(run.missing[:10]) + (f" and {len(run.missing) - 10} more" if len(run.missing) > 10 else "")
        click.echo(click.style(f"{len(run.missing)} learner(s) have files in {out_dir} but are not in this list: "
                               f"{shown}; --withdraw-missing moves their files to {out_dir}/withdrawn/ "
                               "(revoke their certificates if they were withdrawn)", fg="yellow"), err=True)


@main.command()
@click.argument("spec", type=click.Path(path_type=str))
@click.argument("learners", type=click.Path(path_type=str))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The issuer's signing key (PEM from 'unadocs keys generate').")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False, path_type=str), help=_TRUST_HELP)
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Directory for DIR/<learner_id>.pdf and .json.")
@click.option("--combined", type=click.Path(dir_okay=False, path_type=str),
              help="Also write one print-ready PDF of all certificates, in list order.")
@click.option("--combined-new", "combined_new", type=click.Path(dir_okay=False, path_type=str),
              help="Like --combined, with only the certificates this run issued (to print the corrections).")
@click.option("--formats", "formats_text", default="pdf", show_default=True,
              help="Comma-separated: pdf, and elm (<learner_id>.elm.jsonld, Europass) and/or ob3 "
                   "(<learner_id>.ob3.json and .ob3.jwt, Open Badges 3.0) beside each PDF.")
@click.option("--template", "template_dir", type=click.Path(file_okay=False, path_type=str),
              help="A restyled copy of templates/certificate (colours, artwork, logo) to render with.")
@click.option("--withdraw-missing", is_flag=True,
              help="Move the files of learners who are no longer in the list to DIR/withdrawn/ (never deleted).")
@_list_options
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Worker processes. Default: the machine's cores.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@_eseal_options
def certificates(spec: str, learners: str, key_path: str, trust_path: str | None, out_dir: str,
                 combined: str | None, combined_new: str | None, formats_text: str, template_dir: str | None,
                 withdraw_missing: bool, header_row: int | None, column_pairs: tuple[str, ...],
                 column_file: str | None, date_format: str | None, jobs: int | None, quiet: bool,
                 eseal_any_subject: bool, **eseal_options: Any) -> None:
    """Issue a signed joint certificate to every learner in LEARNERS (CSV or XLSX).

    Columns: learner_id, given_names, family_name, issued; optional:
    date_of_birth, email, grade, name_latin (the passport spelling of a name in
    another script; names match without regard to case, spaces, hyphens and
    underscores; map others with --column). A bad row is reported
    with its row number and every good row is still issued; the exit status
    is 1 if any row failed. Bad rows are also listed in DIR/errors.csv, and
    every learner's verification link in DIR/links.csv. Run the same command
    again after an interruption, or with a corrected list: unchanged
    certificates are kept (DIR/manifest.jsonl), and a corrected one replaces
    the earlier one, which you then revoke (the command is printed).

    With --eseal (or --eseal-pkcs11) each PDF also carries the university's
    eIDAS seal (PAdES) and each ELM credential gets its JAdES seal beside it;
    the seal certificate must name the issuer and be valid, or nothing is written.
    """
    from unadocs._progress import show_progress, worker_pool
    from unadocs.issuing import issue_certificates, parse_formats
    from unadocs.load import load_spec
    from unadocs.seal.keys import load_signer, trust_list_beside

    formats = parse_formats(formats_text)
    if "pdf" not in formats:
        raise UnadocsError("'certificates' always writes the PDF: add pdf to --formats, "
                           "or use 'unadocs export elm|ob3' for the exports alone")
    if combined and combined_new:
        raise click.UsageError("give --combined or --combined-new, not both")
    layout = _layout(header_row, column_pairs, column_file, date_format)
    with worker_pool(jobs) as executor:  # first: its workers' imports run while the spec is read
        consortium = load_spec(spec)
        signer = load_signer(key_path, trust_path)
        eseal = _load_eseal(**eseal_options)
        if consortium.is_draft:
            click.echo(click.style("the agreement is a draft: every certificate is a SPECIMEN and never verifies as "
                                   "valid", fg="yellow"), err=True)
        run = issue_certificates(consortium, learners, signer, out_dir, combined=combined or combined_new,
                                 formats=formats, template=template_dir, executor=executor, layout=layout,
                                 combined_new=combined_new is not None, withdraw_missing=withdraw_missing,
                                 eseal=eseal, eseal_any_subject=eseal_any_subject)
        if eseal is not None:
            click.echo(f"sealing with {eseal.subject.text} (PAdES/JAdES {eseal.level})", err=True)
        failed = _print_issued(show_progress(run, run.total, quiet=quiet), out_dir, combined or combined_new)
    _print_run(run, out_dir, trust_path or str(trust_list_beside(key_path)))
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
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False, path_type=str), help=_TRUST_HELP)
@_list_options
@_eseal_options
def export(format_: str, spec: str, learners: str, out_dir: str, key_path: str | None, trust_path: str | None,
           header_row: int | None, column_pairs: tuple[str, ...], column_file: str | None,
           date_format: str | None, eseal_any_subject: bool, **eseal_options: Any) -> None:
    """Export every learner in LEARNERS as a European Learning Model credential (elm,
    for the Europass wallet) or an Open Badges 3.0 credential (ob3, for badge platforms).

    With --eseal (or --eseal-pkcs11) each ELM credential is also sealed with
    the university's eIDAS seal: DIR/<learner_id>.elm.jades.json. A bad row is
    reported with its row number and every good row is still exported; the
    exit status is 1 if any row failed.
    """
    from unadocs.issuing import export_credentials
    from unadocs.load import load_spec
    from unadocs.seal.keys import load_signer

    if format_ == "ob3" and key_path is None:
        raise UnadocsError("ob3 credentials are signed: give the issuer's key with --key")
    layout = _layout(header_row, column_pairs, column_file, date_format)
    consortium = load_spec(spec)
    signer = load_signer(key_path, trust_path) if key_path is not None else None
    eseal = _load_eseal(**eseal_options)
    if consortium.is_draft:
        click.echo(click.style("the agreement is a draft: every credential is a SPECIMEN", fg="yellow"), err=True)
    run = export_credentials(consortium, learners, out_dir, (format_,), signer, layout=layout, eseal=eseal,
                             eseal_any_subject=eseal_any_subject)
    failed = _print_issued(run, out_dir, None, "exported")
    _print_run(run, out_dir, None)
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
    from unadocs.seal.keys import generate_key

    info = generate_key(issuer, out_dir, valid_from=_parse_day(valid_from, "--valid-from"),
                        valid_until=_parse_day(valid_until, "--valid-until"))
    click.echo(f"key {info.key_id} for issuer {info.issuer}, valid {info.valid_from} to {info.valid_until}")
    click.echo(f"private key (keep secret, mode 0600): {info.private_key_path}")
    click.echo(f"trust list (publish to verifiers):    {info.trust_path}")


@keys.command("revoke")
@click.argument("credential_ids", metavar="[CREDENTIAL_ID]...", nargs=-1)
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The trust list to add the revocation to.")
@click.option("--reason", help="Why, in a few words (shown to verifiers).")
@click.option("--date", "day", help="Date of the revocation (YYYY-MM-DD). Default: none recorded.")
@click.option("--superseded-by", "superseded_by", metavar="CREDENTIAL_ID",
              help="The corrected certificate that replaces the revoked one (verifiers name it).")
@click.option("--superseded-in", "superseded_in", type=click.Path(file_okay=False, path_type=str),
              help="Revoke every certificate that a corrected one replaced in this output directory "
                   "(from its manifest.jsonl).")
def keys_revoke(credential_ids: tuple[str, ...], trust_path: str, reason: str | None, day: str | None,
                superseded_by: str | None, superseded_in: str | None) -> None:
    """Revoke certificates in a trust list: verifiers using it report them as revoked (or superseded)."""
    from pathlib import Path

    from unadocs.issuing.manifest import Manifest
    from unadocs.seal.trust import Revocation, TrustList

    when = _parse_day(day, "--date")
    if superseded_by is not None and len(credential_ids) != 1:
        raise click.UsageError("--superseded-by names the replacement of one CREDENTIAL_ID")
    pairs = [(cid, superseded_by) for cid in credential_ids]
    if superseded_in is not None:
        directory = Path(superseded_in)
        if not directory.is_dir():
            raise UnadocsError(f"--superseded-in {superseded_in}: not a directory")
        pairs += Manifest(directory).superseded()
    if not pairs:
        raise click.UsageError("give a CREDENTIAL_ID, or --superseded-in DIR")
    trust = TrustList.load(trust_path)
    for credential_id, replacement in pairs:
        why = reason or ("superseded by a corrected certificate" if replacement else None)
        try:
            revocation = Revocation(credential_id=credential_id, reason=why, date=when, superseded_by=replacement)
        except ValueError as exc:
            raise UnadocsError(f"cannot revoke {credential_id!r}: {exc}") from None
        trust = trust.with_revocation(revocation)
    trust.save(trust_path)
    for credential_id, replacement in pairs:
        instead = f" (superseded by {replacement})" if replacement else ""
        click.echo(f"revoked {credential_id}{instead} in {trust_path}")


@keys.command("revoke-key")
@click.argument("key_id")
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The trust list that holds the key.")
@click.option("--since", "since", required=True,
              help="First day whose seals are not valid (YYYY-MM-DD): the day the key may have been compromised.")
@click.option("--reason", help="Why, in a few words (shown to verifiers).")
def keys_revoke_key(key_id: str, trust_path: str, since: str, reason: str | None) -> None:
    """Revoke a signing key from a day on: its seals made on or after that day stop verifying.

    The day of sealing is the issuer's own statement inside the seal, so a
    thief holding the key can backdate it: choose --since no later than the
    first day the key may have been out of your hands, and re-issue what was
    sealed with it since.
    """
    from unadocs.seal.trust import TrustList

    day = _parse_day(since, "--since")
    TrustList.load(trust_path).with_key_revoked(key_id, day, reason).save(trust_path)
    click.echo(f"revoked key {key_id} from {day} in {trust_path}; publish the trust list to the verification page")


_FIELD_LABELS = (
    ("name", "name"), ("title", "title"), ("issued", "issued"), ("ects", "ECTS"), ("eqf", "EQF level"),
    ("awarding", "awarding bodies"), ("issuer", "issuer"), ("sealed", "sealed on"), ("credential_id", "credential id"),
    ("key_id", "key id"),
)


@main.command()
@click.argument("input_", metavar="INPUT")
@click.option("--trust", "trust_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Trust list (trust.json) with the issuers' public keys and revocations.")
@click.option("--record", "record_path", type=click.Path(dir_okay=False, path_type=str),
              help="The certificate's JSON record, to check against the seal.")
@click.option("--strict", is_flag=True,
              help="Anything added to a PDF after it was issued (revisions, attachments, scripts, annotations) "
                   "makes it not valid, instead of a warning.")
@click.option("--trust-roots", "roots_path", metavar="FILE.pem", type=click.Path(dir_okay=False, path_type=str),
              help="Certificates (PEM) whose chains a PDF's eIDAS seal must reach, e.g. the trust service "
                   "provider's root; a PDF without a seal is then not valid. Without it the chain is not checked.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON, for tools.")
def verify(input_: str, trust_path: str, record_path: str | None, strict: bool, roots_path: str | None,
           as_json: bool) -> None:
    """Verify a certificate: INPUT is its PDF, a photo or scan of its QR code (PNG/JPEG),
    the verification link, the token, or its Open Badges credential (.ob3.jwt);
    '-' reads it from standard input.

    Exits 0 and prints the verified fields when valid; otherwise exits 1 with
    the reason: malformed, unknown-key, bad-signature, wrong-issuer,
    key-not-valid-on-date, key-revoked, dated-in-future, superseded, revoked,
    specimen, record-mismatch, modified or eseal-not-trusted. A PDF with the
    university's eIDAS seal (PAdES) gets that seal's verdict too: a PDF
    changed after sealing is not valid.
    """
    from pathlib import Path

    from unadocs.files import read_bounded
    from unadocs.seal.eseal_check import load_trust_roots
    from unadocs.seal.trust import TrustList
    from unadocs.seal.verify import MAX_INPUT_BYTES, MAX_RECORD_BYTES
    from unadocs.seal.verify import verify as verify_input

    trust = TrustList.load(trust_path)
    record = read_bounded(Path(record_path), MAX_RECORD_BYTES, "record") if record_path is not None else None
    roots = load_trust_roots(roots_path) if roots_path is not None else None
    source: str | bytes | Path = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1) if input_ == "-" else input_
    _quiet_pyhanko()
    result = verify_input(source, trust, record=record, strict=strict, trust_roots=roots)
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
                if key in ("awarding", "issuer") and result.names:
                    value = [f"{result.names.get(body, body)} ({body})" for body in
                             (value if isinstance(value, list) else [value])]
                text = ", ".join(value) if isinstance(value, list) else str(value)
                click.echo(f"  {label + ':':17}{text}")
        if result.link is not None and result.fields:
            click.echo(f"  {'link:':17}{result.link}")
        if result.eseal is not None:
            _print_eseal(result.eseal)
        for warning in result.warnings:
            click.echo(click.style(f"warning: {warning}", fg="yellow"))
    if not result.valid:
        sys.exit(1)


def _print_eseal(check: Any) -> None:
    """The PDF's eIDAS seal, under the QR code's verdict."""
    state = "valid" if check.valid else f"NOT VALID: {check.problem}"
    click.echo(f"eSeal ({check.form} {check.level}): {state}")
    click.echo(f"  {'intact:':17}{'yes' if check.intact else 'no'}; "
               f"{'nothing changed after sealing' if check.unchanged else 'changed after sealing'}")
    click.echo(f"  {'sealed by:':17}{check.subject}")
    click.echo(f"  {'chain:':17}{check.chain}")
    if check.signing_time is not None:
        click.echo(f"  {'signing time:':17}{check.signing_time:%Y-%m-%d %H:%M:%S %Z} (claimed by the sealer)")
    if check.timestamp is not None:
        click.echo(f"  {'timestamp:':17}{check.timestamp:%Y-%m-%d %H:%M:%S %Z} (by a timestamp authority)")


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
