"""Every bad API input is a 4xx: every operation of the OpenAPI schema probed with oversized values."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.usecases.businesses import create_business

pytestmark = pytest.mark.integration
NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
ADMIN = "operator-key-0123456789"
# Path ids beyond every integer column (PostgreSQL integer, SQLite's 64 bits), zero and negative.
BAD_IDS = ["2147483648", "9223372036854775808", "100000000000000000000000000000", "0", "-1"]
# Raw JSON spellings, so that 1e400 reaches the server as the client wrote it.
BAD_VALUES = {
    "string": ['"' + "x" * 100_000 + '"', '"' + "é" * 301 + '"'],
    "number": ["1e400", "-1e400", '"NaN"', '"Infinity"', "1e15", '"1e400"', "100000000000000000000000000000"],
    "integer": ["9223372036854775808", "100000000000000000000000000000", "-2147483649"],
}


@pytest.fixture
def probe(any_database_url, tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx", warm_pdf=False,
                        admin_api_key=ADMIN)
    container = build_container(settings)
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    with container.sessions.begin() as session:
        business, key = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                        from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", issue_date=date(2026, 12, 1),
                            due_date=date(2027, 1, 1), currency="EUR", amount_due=Decimal("363.00"),
                            amount_paid=Decimal(0), status="open", reply_token="tok1", parsed={}, created_at=NOW))
    client = TestClient(create_app(container), raise_server_exceptions=False)
    yield client, key
    container.engine.dispose()


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [_resolve(s, spec) for s in schema[combined] if s.get("type") != "null"]
            return options[0] if options else {}
    return schema


def _plausible(schema: dict, spec: dict) -> object:
    schema = _resolve(schema, spec)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "string":
        return {"date": "2027-01-15", "date-time": "2027-01-15T10:00:00Z", "email": "a@b.example"}.get(
            schema.get("format", ""), "1")
    if kind in ("number", "integer"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {name: _plausible(prop, spec) for name, prop in schema.get("properties", {}).items()
                if name in schema.get("required", [])}
    return "1"


def _bodies(schema: dict, spec: dict):  # type: ignore[no-untyped-def]
    """The plausible body with one property at a time replaced by each bad value (as raw JSON text)."""
    schema = _resolve(schema, spec)
    base = {name: _plausible(prop, spec) for name, prop in schema.get("properties", {}).items()}
    for name, prop in schema.get("properties", {}).items():
        resolved = _resolve(prop, spec)
        kinds = [resolved.get("type")] + (["integer"] if resolved.get("type") == "number" else [])
        if resolved.get("type") == "array":
            kinds = ["string"]
        for kind in kinds:
            for bad in BAD_VALUES.get(kind, []):
                text = json.dumps(base | {name: "__BAD__"})
                yield name, text.replace('"__BAD__"', bad if resolved.get("type") != "array" else f"[{bad}]")


def test_no_input_of_the_schema_makes_the_api_answer_500(probe):
    client, key = probe
    spec = client.get("/openapi.json").json()
    headers = {"X-API-Key": key, "X-Admin-Key": ADMIN}
    tried, failures = 0, []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            path_params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            requests = []
            for bad_id in BAD_IDS:
                url = path
                for name in path_params:
                    url = url.replace("{" + name + "}", bad_id)
                requests.append((f"{name if path_params else ''}={bad_id}", url, None))
            valid_url = path
            for name in path_params:
                valid_url = valid_url.replace("{" + name + "}", "1")
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                for name, text in _bodies(content["application/json"]["schema"], spec):
                    requests.append((f"body.{name}", valid_url, text))
            for query in [p for p in operation.get("parameters", []) if p["in"] == "query"]:
                kind = _resolve(query.get("schema", {}), spec).get("type", "string")
                for bad in BAD_VALUES.get(kind, BAD_VALUES["string"])[:3]:
                    requests.append((f"?{query['name']}", f"{valid_url}?{query['name']}={bad.strip(chr(34))[:5000]}",
                                     None))
            for what, url, body in requests:
                send = {"headers": headers | ({"Content-Type": "application/json"} if body else {})}
                answer = client.request(method.upper(), url, content=body, **send)
                tried += 1
                if answer.status_code >= 500:
                    failures.append(f"{method.upper()} {path} {what}: {answer.status_code}")
    long_key = client.post("/invoices/1/payments", headers=headers | {"Idempotency-Key": "k" * 300},
                           json={"amount": "1.00"})
    assert long_key.status_code == 422
    assert tried > 200 and failures == [], "\n".join(failures)
    assert client.get("/invoices", headers=headers).status_code == 200
