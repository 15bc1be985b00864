"""`lookback audit verify`: check the audit chain with its key and against its anchors."""

from __future__ import annotations

import typer

from inspections.errors import AuditKeyError
from web.cli.audit_messages import explain, key_problem
from web.cli.layers import JsonOpt
from web.cli.output import as_dict, emit_json, error, fail
from web.i18n import t

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify_audit(as_json: JsonOpt = False) -> None:
    """Check every entry with the audit key and the chain against every anchor line; name
    the first entry or anchor line that does not match (exit status 1)."""
    # Imported here, not at the top, so that `lookback --help` need not load them.
    from inspections import audit_key, audit_verify
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    try:
        key = audit_key.load(settings.audit_key_path)
    except AuditKeyError as exc:
        fail(key_problem(exc, settings.language), as_json=as_json, problem=f"key_{exc.problem}")
    engine = engine_for(settings)
    init_database(engine)
    with engine.connect() as conn:
        result = audit_verify.verify(conn, key, settings.audit_anchor_path)
    if as_json:
        emit_json(as_dict(result) | {"key": key.fingerprint,
                                     "anchor_file": str(settings.audit_anchor_path)})
    elif result.ok:
        typer.echo(explain(result, settings.language))
        if not settings.audit_anchor_path.exists():
            typer.echo(t("audit.verify.no_anchors", settings.language,
                         path=settings.audit_anchor_path))
    else:
        error(explain(result, settings.language))
    if not result.ok:
        raise typer.Exit(1)
