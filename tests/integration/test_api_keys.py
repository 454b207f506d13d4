"""API keys on a real database: the key CLI, revoked and rotated keys, the failed-authentication limit,
the operator endpoint, CORS, and keys carried over from before the api_keys table."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.cli import main
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import alembic_config, upgrade
from worker.db.models import ApiKey
from worker.usecases.api_keys import (
    find_key,
    hash_api_key,
    issue_key,
    list_keys,
    record_use,
    revoke_key,
    rotate_keys,
    store_key,
)
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
ADMIN_KEY = "operator-key-of-at-least-16-chars"


def make_api(tmp_path, url, **settings):
    container = build_container(Settings(data_dir=tmp_path, database_url=url, letter_format="docx", **settings))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    return container, TestClient(create_app(container))


@pytest.fixture
def api(any_database_url, tmp_path):
    container, client = make_api(tmp_path, any_database_url, auth_failure_limit=3, auth_failure_window_seconds=60)
    with container.sessions.begin() as session:
        business, key = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                        from_address="billing@jansen.example", now=NOW)
    yield container, client, key
    container.engine.dispose()


def get(client, key, path="/business"):
    return client.get(path, headers={"X-API-Key": key})


@pytest.fixture
def cli(any_database_url, tmp_path, monkeypatch, capsys):
    """Run `dunning ...` in this process against the test database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DUNNING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUNNING_DATABASE_URL", any_database_url)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def shown_key(stdout: str) -> str:
    line = next(ln for ln in stdout.splitlines() if ln.startswith("API key (shown once, keep it safe): "))
    return line.rsplit(" ", 1)[1]


def test_key_module_issue_find_list_revoke_rotate(any_database_url, tmp_path):
    container, _ = make_api(tmp_path, any_database_url)
    with container.sessions.begin() as session:
        business, first = create_business(session, name="Jansen", senders=["b@j.example"], from_address="b@j.example",
                                          now=NOW)
        second_row, second = issue_key(session, business.id, label="accounting", now=NOW)
        assert second_row.prefix == second[3:11] and second_row.key_hash != second and second not in repr(
            [(r.prefix, r.key_hash, r.label) for r in list_keys(session, business.id)])
        assert [r.label for r in list_keys(session, business.id)] == ["initial", "accounting"]
        assert find_key(session, second) is second_row
        assert find_key(session, second[:-1] + ("A" if second[-1] != "A" else "B")) is None  # same prefix, wrong key
        assert find_key(session, "dk_nothere" + "x" * 30) is None
        row, newly = revoke_key(session, second_row.prefix, NOW)
        assert newly and row.revoked_at == NOW
        assert revoke_key(session, second_row.prefix, NOW + timedelta(days=1)) == (row, False)  # keeps the first time
        assert find_key(session, second).revoked_at == NOW  # found, so the API can say it was revoked
        prefixes = [issue_key(session, business.id, label="many", now=NOW)[0].prefix for _ in range(400)]
        assert not any(p.startswith("-") for p in prefixes)  # (1 in 64 would) so the CLI can take it as argument
        new_row, new_key, revoked = rotate_keys(session, business.id, label="rotated", now=NOW)
        assert [r.label for r in revoked] == ["initial"] + ["many"] * 400 and find_key(session, first).revoked_at == NOW
        assert find_key(session, new_key) is new_row and new_row.revoked_at is None
    container.engine.dispose()


def test_a_carried_over_key_works_even_when_a_newer_key_took_its_prefix(any_database_url, tmp_path):
    container, _ = make_api(tmp_path, any_database_url)
    old_key, clashing = "dk_SamePfx1" + "a" * 35, "dk_SamePfx1" + "b" * 35
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="J", senders=["b@j.example"], from_address="b@j.example", now=NOW)
        session.add(ApiKey(business_id=business.id, prefix=None, key_hash=hash_api_key(old_key), label="carried",
                           created_at=NOW))
        store_key(session, business.id, clashing, label="new", now=NOW)
    with container.sessions.begin() as session:
        carried = find_key(session, old_key)
        assert carried.label == "carried" and find_key(session, clashing).label == "new"
        record_use(session, carried.id, old_key, NOW)
    with container.sessions() as session:
        assert session.scalars(sa.select(ApiKey.prefix).where(ApiKey.label == "carried")).all() == [None]
        assert find_key(session, old_key).last_used_at == NOW
    container.engine.dispose()


def test_cli_lists_creates_revokes_and_rotates_keys(api, cli):
    container, client, initial = api
    code, out, _ = cli("key", "create", "--business", "Jansen", "--label", "boekhouding")
    assert code == 0
    created = shown_key(out)
    assert get(client, created).status_code == 200 and get(client, initial).status_code == 200

    code, out, _ = cli("key", "list", "--business", "1")
    assert code == 0 and created not in out and initial not in out
    assert created[3:11] in out and initial[3:11] in out and "boekhouding" in out and "initial" in out
    listed = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert listed[created[3:11]].rstrip().endswith("-")  # not revoked
    assert "2027-02-01 09:00 UTC" in listed[initial[3:11]]  # last used: the API's (moved) clock

    code, out, _ = cli("key", "revoke", created[3:11])
    assert code == 0 and "revoked" in out
    refused = get(client, created)
    assert refused.status_code == 401 and "revoked" in refused.json()["message"]
    assert get(client, initial).status_code == 200

    code, out, _ = cli("key", "rotate", "--business", "Jansen")
    assert code == 0 and initial[3:11] in out and "revoked" in out
    rotated = shown_key(out)
    assert get(client, initial).status_code == 401
    assert get(client, rotated).status_code == 200
    _, out, _ = cli("key", "list", "--business", "Jansen")
    rows = out.splitlines()[2:]  # the revoked column comes last: a time, or "-" for a valid key
    assert sum(r.endswith("UTC") for r in rows) == 2 and sum(r.endswith("-") for r in rows) == 1


def test_cli_says_what_is_not_found(api, cli):
    for argv in (("key", "list", "--business", "nobody"), ("key", "create", "--business", "99"),
                 ("key", "rotate", "--business", "nobody"), ("key", "revoke", "zzzzzzzz")):
        code, out, err = cli(*argv)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1, argv
    assert "no business" in cli("key", "list", "--business", "nobody")[2]
    assert "key list" in cli("key", "revoke", "zzzzzzzz")[2]  # says where to find the prefixes


def test_business_create_prints_the_key_once_and_it_works(any_database_url, tmp_path, cli):
    code, out, _ = cli("business", "create", "--name", "Acme", "--sender", "billing@acme.example", "--from",
                       "billing@acme.example")
    assert code == 0
    container, client = make_api(tmp_path, any_database_url)
    assert get(client, shown_key(out)).json()["name"] == "Acme"
    container.engine.dispose()


def test_failed_authentication_is_limited_per_client(api):
    container, client, key = api
    for _ in range(5):
        assert get(client, key).status_code == 200  # successes never count
    for _ in range(3):
        assert get(client, "dk_wrongwrong" + "x" * 30).status_code == 401
    blocked = get(client, key)  # the right key too, from this address
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "60"
    other = TestClient(client.app, client=("198.51.100.7", 40000))
    assert get(other, key).status_code == 200
    container.clock.now += timedelta(seconds=45)
    assert get(client, key).headers["Retry-After"] == "15"
    container.clock.now += timedelta(seconds=15)
    assert get(client, key).status_code == 200


def test_the_admin_key_is_limited_too(any_database_url, tmp_path):
    container, client = make_api(tmp_path, any_database_url, admin_api_key=ADMIN_KEY, auth_failure_limit=2)
    for _ in range(2):
        assert client.get("/admin/quarantine", headers={"X-Admin-Key": "guess-guess-guess"}).status_code == 401
    assert client.get("/admin/quarantine", headers={"X-Admin-Key": ADMIN_KEY}).status_code == 429
    container.clock.now += timedelta(seconds=60)
    assert client.get("/admin/quarantine", headers={"X-Admin-Key": ADMIN_KEY}).json() == []
    container.engine.dispose()


def test_forwarded_for_counts_only_from_a_trusted_proxy(any_database_url, tmp_path):
    container, client = make_api(tmp_path, any_database_url, auth_failure_limit=1, trusted_proxies=["10.0.0.1"])
    with container.sessions.begin() as session:
        _, key = create_business(session, name="J", senders=["b@j.example"], from_address="b@j.example", now=NOW)
    proxy = TestClient(client.app, client=("10.0.0.1", 5000))
    wrong = {"X-API-Key": "dk_wrongwrong" + "x" * 30}
    assert proxy.get("/business", headers={**wrong, "X-Forwarded-For": "203.0.113.5"}).status_code == 401
    assert proxy.get("/business", headers={"X-API-Key": key, "X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert proxy.get("/business", headers={"X-API-Key": key, "X-Forwarded-For": "203.0.113.6"}).status_code == 200
    # a client that is not the proxy cannot pick its address with the header
    direct = TestClient(client.app, client=("192.0.2.9", 5000))
    assert direct.get("/business", headers={**wrong, "X-Forwarded-For": "203.0.113.7"}).status_code == 401
    assert direct.get("/business", headers={"X-API-Key": key, "X-Forwarded-For": "203.0.113.8"}).status_code == 429
    container.engine.dispose()


def test_untrusted_forwarded_for_is_ignored_by_default(api):
    _, client, key = api
    for n in range(3):
        client.get("/business", headers={"X-API-Key": "dk_wrongwrong" + "x" * 30, "X-Forwarded-For": f"203.0.113.{n}"})
    assert client.get("/business", headers={"X-API-Key": key, "X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_the_admin_endpoint_is_off_unless_its_key_is_set(api):
    container, client, _ = api
    assert container.settings.admin_api_key is None
    assert client.get("/admin/quarantine").status_code == 404
    assert client.get("/admin/quarantine", headers={"X-Admin-Key": "anything-at-all-long"}).status_code == 404
    container.settings.admin_api_key = ADMIN_KEY
    assert client.get("/admin/quarantine").status_code == 401
    assert client.get("/admin/quarantine", headers={"X-Admin-Key": ADMIN_KEY[:-1]}).status_code == 401
    not_ascii = {"X-Admin-Key": "sésam-sésam-ouvre".encode("latin-1")}  # must not crash the comparison
    assert client.get("/admin/quarantine", headers=not_ascii).status_code == 401
    assert client.get("/admin/quarantine", headers={"X-Admin-Key": ADMIN_KEY}).status_code == 200


def test_openapi_shows_the_operator_key_on_the_operator_endpoint(api):
    _, client, _ = api
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/admin/quarantine"]["get"]["security"] == [{"AdminKey": []}]
    assert spec["components"]["securitySchemes"]["AdminKey"]["name"] == "X-Admin-Key"


def test_weak_admin_keys_are_refused_at_start_up():
    from worker.config import ConfigurationError, load_settings

    for weak in ("changeme", "short-key"):
        with pytest.raises(ConfigurationError, match="16 characters"):
            load_settings(admin_api_key=weak)
    assert load_settings(admin_api_key="").admin_api_key is None


def test_no_cors_headers_by_default(api):
    _, client, key = api
    simple = client.get("/business", headers={"X-API-Key": key, "Origin": "https://evil.example"})
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers
    preflight = client.options("/business", headers={"Origin": "https://evil.example",
                                                     "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_only_for_the_configured_origins(any_database_url, tmp_path):
    container, client = make_api(tmp_path, any_database_url, cors_origins=["https://finance.example"])
    preflight = client.options("/invoices", headers={"Origin": "https://finance.example",
                                                     "Access-Control-Request-Method": "GET",
                                                     "Access-Control-Request-Headers": "X-API-Key"})
    assert preflight.headers["access-control-allow-origin"] == "https://finance.example"
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    container.engine.dispose()


def test_a_key_from_before_the_api_keys_table_keeps_working(any_database_url, tmp_path, cli):
    """Upgrade a database at 0003 holding a business's key hash: the key works and gets its prefix."""
    engine = sa.create_engine(any_database_url)
    config = alembic_config(any_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    old_key = "dk_" + "OldKey42" + "z" * 35
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO businesses (name, sender_allowlist, from_address, from_name, language, timezone, settings, "
            "api_key_hash, created_at) VALUES ('Oud', '[]', 'b@oud.example', 'Oud', 'nl', 'Europe/Amsterdam', '{}', "
            ":hash, :now)"), {"hash": hashlib.sha256(old_key.encode()).hexdigest(), "now": NOW})
    engine.dispose()
    container, client = make_api(tmp_path, any_database_url)
    _, out, _ = cli("key", "list", "--business", "Oud")
    assert "prefix shown after its first use" in out and "initial" in out
    assert get(client, old_key).json()["name"] == "Oud"
    with container.sessions() as session:
        row = session.scalars(sa.select(ApiKey)).one()
    assert (row.prefix, row.label, row.last_used_at) == ("OldKey42", "initial", NOW)
    assert get(client, "dk_OldKey42" + "y" * 35).status_code == 401  # the prefix alone is not the key

    # downgrading keeps one valid key per business: after a rotation, the new one, not the revoked old one
    rotated = shown_key(cli("key", "rotate", "--business", "Oud")[1])
    container.engine.dispose()
    before = ScriptDirectory.from_config(config).get_revision("0005").down_revision
    engine = sa.create_engine(any_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, before)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT api_key_hash FROM businesses")).scalar() == hashlib.sha256(
            rotated.encode()).hexdigest()
    engine.dispose()
