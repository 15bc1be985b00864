"""Schemathesis against the app's own OpenAPI schema, signed in as a leader: no request,
however odd, gets a 5xx, and every answer matches the schema (status, type, body).

Each operation's strategy is driven by Hypothesis here (schemathesis' pytest plugin does not
run under this pytest)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.client import client_for, csrf, sign_in
from web.app import create_app
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 6  # per operation and mode (derandomized: the same cases each run)
READ_TIMEOUT = 60  # seconds: a report's first build imports its chart library (slow on a busy CI)


def _leader(url: str) -> dict[str, str]:
    client = client_for(url, now=NOW)
    assert sign_in(client, "leader").status_code == 303
    token = csrf(client)
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
            "X-CSRF-Token": token}


def _exercise(operation, mode: GenerationMode, headers: dict[str, str]) -> None:  # noqa: ANN001
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # noqa: ANN001
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=READ_TIMEOUT)

    try:
        run()
    except Unsatisfiable:
        # An operation that takes no input has no invalid input to send.
        if mode is not GenerationMode.NEGATIVE:
            raise


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_schema(demo_url: str, tmp_path: Path,
                                     mode: GenerationMode) -> None:
    app = create_app(Settings(database_url=demo_url, data_dir=tmp_path / "data", now=NOW))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, timeout=READ_TIMEOUT)
    headers = _leader(demo_url)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 26
    for operation in operations:
        try:
            _exercise(operation, mode, headers)
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
