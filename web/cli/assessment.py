"""`lookback cases assess` (销号评估: the conclusion and its documents, as an assessment
group account) and `lookback cases step-roles` (who accepts and who assesses, per source)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspections.errors import InspectionError
from web.cli.inspections import _engine, cases_app
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, fail, print_table


@cases_app.command("assess")
def assess_case(
    reference: Annotated[str, typer.Argument(help="The case's reference number.")],
    user: Annotated[str, typer.Option("--user", help="The account assessing (评估工作小组, "
                                      "or a role set for the case's source).")],
    conclusion: Annotated[str, typer.Option(help="The assessment's conclusion (评估结论).")],
    document: Annotated[list[Path], typer.Option(
        "--document", help="A document (PDF, DOCX, PNG, JPEG, TIFF); repeat for several.",
        exists=True, dir_okay=False, readable=True)],
    as_json: JsonOpt = False,
) -> None:
    """Assess an accepted case for closure: the case becomes "assessed", ready to publicise."""
    from inspections import workflow
    from inspections.assessment import check_conclusion, current
    from web.cli.accounts import named_account
    from web.services.assessment_docs import Incoming, store_documents
    from web.services.records import case_for
    from web.settings import Settings
    from web.store import file_store

    settings = Settings()
    engine, clock = _engine()
    account = named_account(engine, user, option="--user", as_json=as_json)
    try:
        with engine.connect() as conn:
            case = case_for(conn, account, reference)
            workflow.check_allowed(conn, case, "assess", account.actor)
            workflow.check_state(case, "assess")
            check_conclusion(case.reference, conclusion)
        files = [path.open("rb") for path in document]
        try:
            stored = store_documents([Incoming(p.name, f) for p, f in zip(document, files,
                                                                           strict=True)],
                                     store=file_store(settings),
                                     max_bytes=settings.max_upload_bytes)
        finally:
            for f in files:
                f.close()
        with engine.begin() as conn:
            workflow.assess(conn, case_id=case.id, actor=account.actor, clock=clock,
                            conclusion=conclusion, documents=stored)
            found = current(conn, case.id, "assessed")
    except InspectionError as exc:
        fail(str(exc), as_json=as_json, reference=reference)
    assert found is not None
    result = {"reference": reference, "state": "assessed", "conclusion": found.conclusion,
              "documents": [{"id": d.id, "name": d.name, "media_type": d.media_type,
                             "size_bytes": d.size_bytes} for d in found.documents]}
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"{reference}: assessed, {len(found.documents)} document(s)")


@cases_app.command("step-roles")
def step_roles_command(
    source: Annotated[str | None, typer.Option(help="The case source to set.")] = None,
    step: Annotated[str | None, typer.Option(help="accept or assess.")] = None,
    roles: Annotated[str | None, typer.Option(help="Comma-separated roles, e.g. "
                                              "acceptor,inspector.")] = None,
    default: Annotated[bool, typer.Option("--default", help="Go back to the default "
                                          "roles.")] = False,
    user: Annotated[str | None, typer.Option("--user", help="The admin account setting "
                                             "them.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show who accepts and who assesses per case source; with --source, --step and --roles
    (or --default) and an admin's --user, set them."""
    from inspections import step_roles
    from web.cli.accounts import named_account

    engine, clock = _engine()
    if source or step or roles or default:
        if not (source and step and user and (roles or default)):
            fail("step-roles: setting needs --source, --step, --user and --roles (or "
                 "--default)", as_json=as_json)
        account = named_account(engine, user, option="--user", as_json=as_json)
        wanted = None if default else (roles or "").split(",")
        try:
            with engine.begin() as conn:
                step_roles.set_roles(conn, actor=account.actor, clock=clock, source=source,
                                     step=step, roles=wanted)
        except InspectionError as exc:
            fail(str(exc), as_json=as_json)
    with engine.connect() as conn:
        rows = step_roles.table(conn)
    if as_json:
        for row in rows:
            emit_json(row)
        return
    print_table(["source", "step", "roles", "default"],
                [(r["source"], r["step"], ",".join(r["roles"]), "yes" if r["default"] else "")
                 for r in rows])
