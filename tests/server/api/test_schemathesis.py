"""Schemathesis over every operation of the published OpenAPI schema, against the real
server with the demo data, as an admin, an employee, a customer and an anonymous
visitor: no answer is a 5xx and every answer matches the schema.

A short run here (ENTURF_SCHEMATHESIS_EXAMPLES valid and as many invalid requests per
operation, each sent by every principal; default 2); `make schemathesis` runs the same
with many more. One pytest test per operation: the schema is built in this process
(the same code the server serves it from) so the operations are known at collection.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from support.server_process import running_server

EXAMPLES = int(os.environ.get("ENTURF_SCHEMATHESIS_EXAMPLES", "2"))
PRINCIPALS = {"admin": "admin", "employee": "cashier", "customer": "customer", "anonymous": None}
SKIPPED = {"/api/v1/auth/logout/"}  # would end the principal's token for later operations


def _operations() -> list:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if op.path not in SKIPPED]


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    env = {"ENTURF_REGISTER_RATE": "1000000/hour"}  # sign-ups are fuzzed too
    with running_server(tmp_path_factory.mktemp("schemathesis"), extra_env=env) as server:
        server.shell("from enturf_demo.seed import seed_demo; seed_demo()")
        yield server


@pytest.fixture(scope="module")
def tokens(live) -> dict[str, str | None]:
    return {name: user and live.login(user) for name, user in PRINCIPALS.items()}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_operation_answers_to_its_schema(operation, live, tokens):
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if operation.body or operation.query or operation.path_parameters:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=EXAMPLES * len(strategies),
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def each(case):
        for token in tokens.values():  # the same request from each principal
            case.call_and_validate(
                base_url=live.base_url,
                headers={"Authorization": f"Token {token}"} if token else {},
                checks=[not_a_server_error, response_schema_conformance],
                timeout=60,
            )

    each()
