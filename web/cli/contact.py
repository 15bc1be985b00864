"""`lookback cases contact`: a case's own contact for its closure report (联系人, 联系电话,
电子邮箱), over its task's and the settings'; a leader's or an admin's."""

from __future__ import annotations

from typing import Annotated

import typer

from inspections.errors import InspectionError
from web.cli.inspections import _engine, cases_app
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, fail


@cases_app.command("contact")
def case_contact_command(
    reference: Annotated[str, typer.Argument(help="The case's reference number.")],
    user: Annotated[str, typer.Option("--user", help="The leader or admin account.")],
    person: Annotated[str | None, typer.Option(help="联系人")] = None,
    phone: Annotated[str | None, typer.Option(help="联系电话")] = None,
    email: Annotated[str | None, typer.Option(help="电子邮箱")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set the case's contact for its closure report; a field left out is cleared (the
    task's or the settings' then hold)."""
    from inspections.contact import Contact, set_case_contact
    from web.cli.accounts import named_account
    from web.services.records import case_for

    engine, clock = _engine()
    account = named_account(engine, user, option="--user", as_json=as_json)
    try:
        with engine.begin() as conn:
            case = case_for(conn, account, reference)
            found = set_case_contact(conn, case_id=case.id, actor=account.actor, clock=clock,
                                     contact=Contact(person, phone, email))
    except InspectionError as exc:
        fail(str(exc), as_json=as_json, reference=reference)
    result = {"reference": reference, "person": found.person, "phone": found.phone,
              "email": found.email}
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"{reference}: contact {found.person or '-'} {found.phone or '-'} "
                   f"{found.email or '-'}")
