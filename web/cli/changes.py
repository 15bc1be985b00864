"""`lookback changes detect`: change detection for one site by hand (变化检测), the same
service the job runs after an orthophoto's ingest or a drone flight's upload; the polygons
are stored for review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from web.cli.layers import JsonOpt
from web.cli.output import emit_json, fail, print_table

if TYPE_CHECKING:  # imported inside the command: see web/cli/__init__.py
    from web.services.changes import Detection

changes_app = typer.Typer(help="Change detection between look-back rounds' orthophotos and "
                               "drone flights.",
                          no_args_is_help=True)


@changes_app.command("detect")
def detect(
    site: Annotated[str, typer.Option("--site", help="The site's code.")],
    before: Annotated[int | None, typer.Option(
        "--before", help="The earlier image: an orthophoto's photo id, or the id of any "
                         "photo of a drone flight, meaning that flight's photos over the "
                         "site (default: the image before --after).")] = None,
    after: Annotated[int | None, typer.Option(
        "--after", help="The later image, named as --before is (default: the latest "
                        "orthophoto or flight covering the site).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare two images of a site (orthophotos or drone flights, whichever cover it) and
    store the change polygons found; a flight is given in the JSON lines by its
    representative photo (the first of its photos over the site). Exit status 0 when the
    comparison ran, whether or not anything changed."""
    from imagery.errors import ImageryError
    from inspections.change_pairs import PairError, choose_pair
    from web.cli.store import checked_store
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.i18n import t
    from web.services.changes import detect_pair
    from web.settings import Settings

    settings = Settings()
    lang = "en" if as_json else settings.language  # JSON stays English
    engine = engine_for(settings)
    init_database(engine)
    try:
        with engine.connect() as conn:
            pair = choose_pair(conn, site, before=before, after=after)
        found = detect_pair(engine, checked_store(settings, as_json=as_json), pair,
                            min_area_m2=settings.change_min_area_m2,
                            now=clock_for(settings, engine).now())
    except PairError as exc:
        fail(t(f"cli.changes.{exc.problem}", lang, **exc.fields), as_json=as_json,
             problem=exc.problem)
        return
    except ImageryError as exc:
        fail(t("cli.changes.failed", lang, site=site, detail=str(exc)), as_json=as_json,
             problem="failed")
        return
    _report(found, lang, as_json=as_json)


def _report(found: Detection, lang: str, *, as_json: bool) -> None:
    """One JSON line per polygon, or a sentence and a table for people."""
    from web.i18n import t

    lines = found.lines()
    if as_json:
        for line in lines:
            emit_json(line)
        return
    typer.echo(t("cli.changes.summary", lang, site=found.pair.site_code,
                 before=found.pair.before_photo_id, after=found.pair.after_photo_id,
                 count=len(lines), shift=f"{found.shift_m:.1f}"))
    if lines:
        print_table([t("cli.changes.area", lang), t("cli.changes.score", lang)],
                    [(f"{x['area_m2']:.1f}", f"{x['score']:.2f}") for x in lines])
