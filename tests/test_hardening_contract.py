"""API contract: schemathesis generates requests from the app's own OpenAPI schema and checks that
no answer is a 5xx and that every answer matches the schema (in-process ASGI app, bounded).

Each operation gets positive (schema-valid) and negative (schema-breaking) cases. The strategies
come from schemathesis and are driven by hypothesis directly, one pytest test per operation
(schemathesis' own `from_fixture` runner does not work with this pytest version)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from conftest_service import checker  # noqa: F401  (fixture)

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance  # noqa: E402

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 20   # per operation and mode: ~30 s for the whole file on 2 shared cores

# (method, path) of every operation the app documents; a test fails if the schema grows a new one
# that is not listed here, so new routes get contract-tested too.
OPERATIONS = [("GET", "/health"), ("GET", "/ready"), ("POST", "/v1/check"), ("GET", "/v1/rules"),
              ("GET", "/v1/dictionary"), ("POST", "/v1/dictionary"), ("DELETE", "/v1/dictionary"),
              ("GET", "/v2/languages"), ("POST", "/v2/check"), ("GET", "/v2/check"), ("POST", "/v1/extract"),
              ("GET", "/v2/words"), ("POST", "/v2/words/add"), ("POST", "/v2/words/delete"),
              ("PUT", "/v1/models/house"), ("GET", "/v1/models/house"), ("POST", "/v1/feedback"),
              ("GET", "/v1/tenants/me"), ("POST", "/v1/tenants/me/calibrate"), ("GET", "/v1/tenants/me/proposals"),
              ("GET", "/report"), ("GET", "/v1/admin/tenants"), ("PUT", "/v1/admin/tenants/{name}")]


@pytest.fixture(scope="module")
def api_schema(checker, tmp_path_factory):  # noqa: F811
    from service.app import create_app
    from service.config import Settings

    db = tmp_path_factory.mktemp("contract") / "dict.sqlite3"
    # A short time budget keeps big generated texts cheap; the answer is then partial, not an error.
    # Anonymous writes: the routes that change state (uploads, calibration) get past the 403.
    app = create_app(Settings(db_path=db, time_budget=0.5, anonymous_writes=True), checker=checker)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(schema) -> dict[tuple[str, str], object]:
    out = {}
    for result in schema.get_all_operations():
        op = result.ok()
        out[(op.method.upper(), op.path)] = op
    return out


def test_every_operation_is_covered(api_schema):
    assert set(_operations(api_schema)) == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_contract(api_schema, method, path, mode):
    op = _operations(api_schema)[(method, path)]
    try:
        strategy = op.as_strategy(generation_mode=mode)
    except Exception as e:  # an operation with nothing to break in negative mode
        pytest.skip(f"no {mode.value} strategy: {e}")

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=CHECKS)

    try:
        run()
    except Unsatisfiable:   # nothing in this operation's request can be made schema-invalid
        pytest.skip(f"{method} {path} takes no input to break")
