"""Units of the simulator's parsing: form bodies, search queries; and the schema check itself."""

from __future__ import annotations

import jsonschema
import pytest

from gateway_sim.api.search import PAYMENT_INTENT_FIELDS, compile_query
from gateway_sim.errors import StripeError
from gateway_sim.formdata import parse_form


def test_form_nesting_and_arrays():
    parsed = parse_form(
        "metadata[a]=1&metadata[b]=&expand[]=x&expand[]=y&types[1]=b&types[0]=a"
        "&card_present[number]=4242&deep[x][y]=z"
    )
    assert parsed == {
        "metadata": {"a": "1", "b": ""},
        "expand": ["x", "y"],
        "types": ["a", "b"],
        "card_present": {"number": "4242"},
        "deep": {"x": {"y": "z"}},
    }


INTENTS = [
    {
        "amount": 100,
        "created": 10,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {"local_id": "a'1"},
    },
    {
        "amount": 900,
        "created": 20,
        "currency": "usd",
        "status": "canceled",
        "metadata": {"local_id": "b"},
    },
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (r"metadata['local_id']:'a\'1'", [0]),
        ('metadata["local_id"]:"b"', [1]),
        ("amount>100", [1]),
        ("amount<=100 AND currency:'eur'", [0]),
        ("status:'canceled' OR currency:'eur'", [0, 1]),
        ("-status:'canceled'", [0]),
        ("created>=10 AND created<20", [0]),
        ("currency~'us'", [1]),
    ],
)
def test_search_queries(query, expected):
    matches = compile_query(query, PAYMENT_INTENT_FIELDS)
    assert [i for i, obj in enumerate(INTENTS) if matches(obj)] == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "amount>1 AND",
        "status:'a' AND currency:'b' OR amount>1",
        "colour:'red'",
        "metadata:'x'",
        "amount:'many'",
        "status>'a'",
    ],
)
def test_bad_search_queries(query):
    with pytest.raises(StripeError) as caught:
        compile_query(query, PAYMENT_INTENT_FIELDS)
    assert caught.value.param == "query"


def test_schema_validation_is_strict(validate_schema):
    refund = {"id": "re_1", "object": "refund", "amount": 1, "created": 1, "currency": "eur"}
    validate_schema(refund, "refund")
    with pytest.raises(jsonschema.ValidationError):
        validate_schema({**refund, "not_a_stripe_field": 1}, "refund")
    with pytest.raises(jsonschema.ValidationError):
        validate_schema({**refund, "amount": None}, "refund")
