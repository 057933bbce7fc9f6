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


if __name__ == "__main__":  # pragma: no cover
    main()
