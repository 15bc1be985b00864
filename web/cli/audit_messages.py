"""The audit chain on the command line: its messages for people (key problems, anchors, the
outcome of a check) in the configured language, and anchoring that stops with a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from inspections.errors import AnchorWriteError, AuditKeyError
from web.cli.output import fail
from web.i18n import t

if TYPE_CHECKING:  # the rest is imported where used: every command checks the key file
    from sqlalchemy.engine import Engine

    from inspections.audit_anchor import Anchor
    from inspections.audit_verify import Verification
    from web.settings import Settings


def key_problem(exc: AuditKeyError, lang: str) -> str:
    """What is wrong with the audit key file, in `lang`."""
    if exc.problem in ("missing", "mode", "malformed") and exc.path is not None:
        mode = f"{exc.mode:04o}" if exc.mode is not None else ""
        return t(f"audit.key.{exc.problem}", lang, path=exc.path, mode=mode)
    return str(exc)


def check_key_file(settings: Settings) -> None:
    """Stop with a clear message when the audit key file exists but cannot be used (it is
    made, when missing, by the first command that opens the database)."""
    if settings.audit_key_path.exists():
        from inspections import audit_key

        try:
            audit_key.load(settings.audit_key_path)
        except AuditKeyError as exc:
            fail(key_problem(exc, settings.language), as_json=False)


def anchor_or_stop(engine: Engine, settings: Settings, writer: str, *,
                   as_json: bool) -> Anchor:
    """Append the chain's head to the anchor file, or stop saying why it could not be."""
    from web.services.audit_anchors import anchor_head

    try:
        return anchor_head(engine, settings, writer)
    except AnchorWriteError as exc:
        fail(t("audit.anchor_unwritable", settings.language, path=exc.path, reason=exc.reason),
             as_json=as_json, problem="anchor_unwritable")


def say_anchored(anchor: Anchor, settings: Settings) -> None:
    """Tell people (on standard error) that the chain's head was written down."""
    typer.echo(t("audit.anchored", settings.language, path=settings.audit_anchor_path,
                 entries=anchor.head.entries, head=anchor.head.hash), err=True)


def explain(result: Verification, lang: str) -> str:
    """The outcome of a check, in `lang`."""
    if result.ok:
        return t("audit.verify.intact", lang, entries=result.entries, keyed=result.keyed,
                 plain=result.plain, anchors=result.anchors)
    detail = t(f"audit.problem.{result.problem}", lang, **result.facts)
    return t("audit.verify.broken", lang, detail=detail)
