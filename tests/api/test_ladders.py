"""GET/PUT /ladders and POST /ladders/preview on a real database: built-in defaults, each rule refused with its
field named, one business's ladder and letters invisible to another, the timeline and the marks of a change, and
the sending window, minimum gap and grace settings."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.api.businesses import NAMES, api_container, business_with_debtor, client_for
from worker.api.ladders import CONSUMER_EXAMPLE_STEPS, EXAMPLE_STEPS
from worker.db.fact_changes import apply_wakes
from worker.db.models import RECOMPUTE, Invoice, LetterTemplate, TimelineEvent

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")
BUSINESS_STEPS = EXAMPLE_STEPS  # the API documents the same ladders as its examples
CONSUMER_STEPS = CONSUMER_EXAMPLE_STEPS


@pytest.fixture
def api(any_database_url, tmp_path):
    container = api_container(any_database_url, tmp_path, NOW)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in NAMES:
            business, keys[name], debtor = business_with_debtor(session, name, NOW)
            ids[(name, "business")] = business.id
            for number, due in (("F-1", date(2027, 1, 12)), ("F-2", date(2027, 3, 1))):
                invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                                  issue_date=date(2026, 12, 13), due_date=due, currency="EUR",
                                  amount_due=Decimal("121.00"), amount_paid=Decimal(0), status="open",
                                  reply_token=f"{name}{number}".lower(), parsed={}, created_at=NOW)
                session.add(invoice)
                session.flush()
                ids[(name, number)] = invoice.id
    client = client_for(container)
    yield client, keys, ids, container
    container.engine.dispose()


def call(client, method, path, key, **kw):
    return client.request(method, path, headers={"X-API-Key": key}, **kw)


def put(client, key, steps, segment="new", kind="business"):
    return call(client, "PUT", "/ladders", key, json={"segment": segment, "debtor_kind": kind, "steps": steps})


def refused_at(response) -> list[tuple]:
    assert response.status_code == 422, response.text
    # The one error shape names the first failing field, dotted ("steps.0.channel"); as a FastAPI `loc`:
    field = response.json()["field"]
    return [("body", *(int(p) if p.isdigit() else p for p in field.split(".")))] if field else [("body",)]


def test_every_ladder_is_built_in_until_the_business_sets_one(api):
    client, keys, _, _ = api
    ladders = call(client, "GET", "/ladders", keys["jansen"]).json()
    assert {(ladder["segment"], ladder["debtor_kind"]) for ladder in ladders} == {
        (s, k) for s in ("new", "on_time", "occasionally_late", "chronically_late") for k in ("business", "consumer")}
    assert not any(ladder["own"] for ladder in ladders)
    consumer = call(client, "GET", "/ladders?segment=new&debtor_kind=consumer", keys["jansen"]).json()
    assert [s["name"] for s in consumer[0]["steps"]] == [
        "arrival_check", "courtesy", "reminder", "fourteen_day_letter", "last_reminder", "final_notice", "handoff"]
    assert consumer[0]["steps"][3]["statutory_term"] is True
    assert consumer[0]["steps"][-1] | {"template": None, "anchor": "previous"} == consumer[0]["steps"][-1]


def test_a_ladder_put_is_stored_shown_and_put_back_to_built_in(api):
    client, keys, _, _ = api
    answer = put(client, keys["jansen"], BUSINESS_STEPS, segment="on_time")
    assert answer.status_code == 200, answer.text
    assert answer.json()["own"] is True and answer.json()["updated_by"] == "initial"  # the API key's label
    shown = call(client, "GET", "/ladders?segment=on_time&debtor_kind=business", keys["jansen"]).json()[0]
    assert [s["offset_days"] for s in shown["steps"]] == [-3, 3, 17, 31, 10]
    assert shown["steps"][3]["recipients"] == "general_with_contact_cc" and shown["steps"][3]["claims"] is True
    consumer = put(client, keys["jansen"], CONSUMER_STEPS, segment="on_time", kind="consumer")
    assert consumer.status_code == 200, consumer.text
    back = put(client, keys["jansen"], None, segment="on_time")
    assert back.status_code == 200 and back.json()["own"] is False
    assert [s["name"] for s in back.json()["steps"]][0] == "courtesy"


@pytest.mark.parametrize("change, kind, field", [
    # a step after the hand-off
    (lambda s: s + [{"name": "late", "offset_days": 5, "anchor": "previous", "template": "reminder"}],
     "business", ("body", "steps", 5, "template")),
    # offsets that do not increase
    (lambda s: [s[0], s[1] | {"offset_days": 20}, *s[2:]], "business", ("body", "steps", 2, "offset_days")),
    # a due-anchored step after one counted from the previous step
    (lambda s: [*s[:2], s[2] | {"anchor": "previous", "offset_days": 5}, s[3], s[4]], "business",
     ("body", "steps", 3, "anchor")),
    # two last reminders
    (lambda s: [*s[:3], s[3] | {"name": "last_1", "offset_days": 25}, *s[3:]], "business",
     ("body", "steps", 4, "template")),
    # a letter that does not exist
    (lambda s: [s[0] | {"template": "nonexistent_letter"}, *s[1:]], "business", ("body", "steps", 0, "template")),
    # a consumer ladder claiming costs without a 14-day letter
    (lambda s: s, "consumer", ("body", "steps", 3, "claims")),
], ids=["after-handoff", "offsets", "anchor-order", "two-last", "no-template", "consumer-costs"])
def test_each_rule_is_refused_naming_the_step_and_field(api, change, kind, field):
    client, keys, _, _ = api
    answer = put(client, keys["jansen"], change([dict(s) for s in BUSINESS_STEPS]), kind=kind)
    assert field in refused_at(answer)
    assert call(client, "GET", "/ladders?segment=new", keys["jansen"]).json()[0]["own"] is False  # nothing stored


def test_consumer_rules_the_14_day_letter_first_and_nothing_within_its_term(api):
    client, keys, _, _ = api
    early = [CONSUMER_STEPS[0], CONSUMER_STEPS[2] | {"anchor": "due", "offset_days": 10}, CONSUMER_STEPS[1],
             CONSUMER_STEPS[3]]
    assert ("body", "steps", 1, "claims") in refused_at(put(client, keys["jansen"], early, kind="consumer"))
    within = [*CONSUMER_STEPS[:2], CONSUMER_STEPS[2] | {"anchor": "due", "offset_days": 20}, CONSUMER_STEPS[3]]
    assert ("body", "steps", 2, "anchor") in refused_at(put(client, keys["jansen"], within, kind="consumer"))
    before_due = [CONSUMER_STEPS[0] | {"offset_days": -5}, CONSUMER_STEPS[1] | {"offset_days": 0},
                  *CONSUMER_STEPS[2:]]
    assert ("body", "steps", 1, "offset_days") in refused_at(put(client, keys["jansen"], before_due,
                                                                 kind="consumer"))
    unflagged = [CONSUMER_STEPS[0], CONSUMER_STEPS[1] | {"statutory_term": False}, *CONSUMER_STEPS[2:]]
    assert ("body", "steps", 1, "statutory_term") in refused_at(put(client, keys["jansen"], unflagged,
                                                                    kind="consumer"))


@pytest.mark.parametrize("body, field", [
    ({"segment": "new", "debtor_kind": "business", "steps": [BUSINESS_STEPS[0] | {"channel": "fax"}]},
     ("body", "steps", 0, "channel")),
    ({"segment": "new", "debtor_kind": "business", "steps": [BUSINESS_STEPS[0] | {"recipients": "boss"}]},
     ("body", "steps", 0, "recipients")),
    ({"segment": "sometimes", "debtor_kind": "business", "steps": BUSINESS_STEPS}, ("body", "segment")),
    ({"segment": "new", "debtor_kind": "person", "steps": BUSINESS_STEPS}, ("body", "debtor_kind")),
    ({"segment": "new", "debtor_kind": "business", "steps": []}, ("body", "steps")),
    ({"segment": "new", "debtor_kind": "business", "steps": [BUSINESS_STEPS[0] | {"offset_days": 10**6}]},
     ("body", "steps", 0, "offset_days")),
], ids=["channel", "recipients", "segment", "kind", "empty", "offset-range"])
def test_malformed_ladders_are_422_with_the_field(api, body, field):
    client, keys, _, _ = api
    assert field in refused_at(call(client, "PUT", "/ladders", keys["jansen"], json=body))


def test_one_business_s_ladder_and_letters_are_not_another_s(api):
    client, keys, ids, container = api
    with container.sessions.begin() as session:  # acme uploaded a letter of its own
        session.add(LetterTemplate(business_id=ids[("acme", "business")], name="acme_special", language="nl",
                                   version=1, docx=b"-", uploaded_at=NOW, uploaded_by="test"))
    special = [BUSINESS_STEPS[0] | {"template": "acme_special"}, *BUSINESS_STEPS[1:]]
    assert put(client, keys["acme"], special).status_code == 200
    assert ("body", "steps", 0, "template") in refused_at(put(client, keys["jansen"], special))
    jansen = call(client, "GET", "/ladders?segment=new&debtor_kind=business", keys["jansen"]).json()[0]
    assert jansen["own"] is False and jansen["steps"][0]["name"] == "arrival_check"
    # acme's change is on acme's invoices' timelines only
    timeline = call(client, "GET", f"/invoices/{ids[('jansen', 'F-1')]}", keys["jansen"]).json()["timeline"]
    assert not [e for e in timeline if e["kind"] == "LadderChanged"]
    assert call(client, "GET", "/ladders", "not-a-key").status_code == 401


def test_a_change_is_on_each_open_invoice_s_timeline_and_has_them_decided_again(api):
    client, keys, ids, container = api
    assert put(client, keys["jansen"], BUSINESS_STEPS, segment="new").status_code == 200
    for number in ("F-1", "F-2"):
        timeline = call(client, "GET", f"/invoices/{ids[('jansen', number)]}", keys["jansen"]).json()["timeline"]
        changed = [e for e in timeline if e["kind"] == "LadderChanged"]
        assert len(changed) == 1
        assert changed[0]["data"]["who"] == "initial" and changed[0]["data"]["segment"] == "new"
        assert changed[0]["data"]["after"] == [s["name"] for s in BUSINESS_STEPS]
    # a ladder the debtor is not on tells its invoices nothing
    assert put(client, keys["jansen"], BUSINESS_STEPS, segment="chronically_late").status_code == 200
    with container.sessions.begin() as session:
        assert session.scalar(select(TimelineEvent.id).where(
            TimelineEvent.kind == "LadderChanged", TimelineEvent.business_id == ids[("acme", "business")])) is None
        apply_wakes(session)  # the seed's own wakes, so only the change below can mark
        session.execute(Invoice.__table__.update().values(next_action_at=None))
    put(client, keys["jansen"], CONSUMER_STEPS, segment="new", kind="consumer")  # a wake for the business
    with container.sessions.begin() as session:
        assert apply_wakes(session) >= 1
        marks = dict(session.execute(select(Invoice.business_id, Invoice.next_action_at)
                                     .where(Invoice.number == "F-1")).all())
    assert marks[ids[("jansen", "business")]] == RECOMPUTE and marks[ids[("acme", "business")]] is None


def test_preview_dates_a_consumer_s_ladder_within_the_window(api):
    client, keys, _, _ = api
    answer = call(client, "POST", "/ladders/preview", keys["jansen"], json={
        "invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "1210.00", "consumer": True})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["segment"], body["debtor_kind"]) == ("new", "consumer")
    steps = [s["step"] for s in body["schedule"]]
    assert steps == ["arrival_check", "courtesy", "reminder", "fourteen_day_letter", "last_reminder",
                     "final_notice", "handoff"]
    moments = [datetime.fromisoformat(s["at"]).astimezone(AMS) for s in body["schedule"]]
    assert moments == sorted(moments)
    for scheduled, local in zip(body["schedule"][:-1], moments[:-1], strict=True):
        assert local.weekday() < 5 and 8 <= local.hour < 18, scheduled  # letters go in the sending window
    term = body["schedule"][3]
    assert term["channel"] == "letter" and term["deadline"] is not None  # no e-mail consent: by post
    after_term = date.fromisoformat(body["schedule"][4]["on"])
    assert after_term > date.fromisoformat(term["deadline"])  # nothing within the 14-day term
    assert [date.fromisoformat(s["on"]) for s in body["schedule"]][2] >= date(2027, 2, 5)


def test_preview_of_a_stored_or_draft_ladder_and_refusals(api):
    client, keys, _, _ = api
    sample = {"invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "500.00", "segment": "on_time"}
    put(client, keys["jansen"], BUSINESS_STEPS, segment="on_time")
    stored = call(client, "POST", "/ladders/preview", keys["jansen"], json=sample).json()
    assert [s["step"] for s in stored["schedule"]] == [s["name"] for s in BUSINESS_STEPS]
    assert stored["schedule"][1]["on"] == "2027-02-08"  # due + 3 is a Saturday: Monday
    draft = call(client, "POST", "/ladders/preview", keys["jansen"],
                 json=sample | {"steps": [BUSINESS_STEPS[1] | {"offset_days": 1}, BUSINESS_STEPS[4]]}).json()
    assert [s["on"] for s in draft["schedule"]] == ["2027-02-04", "2027-02-14"]
    other = call(client, "POST", "/ladders/preview", keys["acme"], json=sample).json()  # acme: built in
    assert [s["step"] for s in other["schedule"]][0] == "courtesy" and len(other["schedule"]) == 6
    assert ("body", "steps", 1, "offset_days") in refused_at(call(
        client, "POST", "/ladders/preview", keys["jansen"],
        json=sample | {"steps": [BUSINESS_STEPS[1], BUSINESS_STEPS[0]]}))
    for bad, field in ((sample | {"amount": "-1"}, ("body", "amount")), (sample | {"country": "DE"},
                       ("body", "country")), (sample | {"due_date": "2026-01-01"}, ("body",)),
                       (sample | {"invoice_date": "0001-01-01"}, ("body", "invoice_date")),
                       (sample | {"due_date": "9999-12-31"}, ("body", "due_date"))):
        assert field in refused_at(call(client, "POST", "/ladders/preview", keys["jansen"], json=bad))


def test_sending_window_gap_and_grace_settings(api):
    client, keys, _, _ = api
    changed = call(client, "PATCH", "/business", keys["jansen"], json={
        "sending_opens": "09:30", "sending_closes": "16:00", "sending_days": ["thu", "tue"], "min_gap_days": 9,
        "promise_grace_days": 1, "plan_grace_days": 6})
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"]["sending_days"] == ["tue", "thu"]
    sample = {"invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "500.00", "segment": "on_time"}
    schedule = call(client, "POST", "/ladders/preview", keys["jansen"], json=sample).json()["schedule"]
    moments = [datetime.fromisoformat(s["at"]).astimezone(AMS) for s in schedule if s["template"]]
    assert all(m.weekday() in (1, 3) and (m.hour, m.minute) >= (9, 30) and m.hour < 16 for m in moments)
    assert all((b - a).days >= 9 for a, b in zip(moments, moments[1:], strict=False))  # the minimum gap
    acme = call(client, "POST", "/ladders/preview", keys["acme"], json=sample).json()["schedule"]
    assert datetime.fromisoformat(acme[0]["at"]).astimezone(AMS).hour == 8  # acme keeps the default window
    for body, name in (({"sending_opens": "18:00"}, "sending_opens"), ({"sending_days": ["someday"]}, "sending_days"),
                       ({"min_gap_days": 0}, "min_gap_days"), ({"sending_days": []}, "sending_days"),
                       ({"sending_closes": "25:00"}, "sending_closes"), ({"plan_grace_days": 99}, "plan_grace_days")):
        answer = call(client, "PATCH", "/business", keys["jansen"], json=body)
        assert answer.status_code == 422 and name in answer.text, (body, answer.text)
    # null puts a default back (never a null the tick would read)
    reset = call(client, "PATCH", "/business", keys["jansen"], json={"min_gap_days": None, "sending_days": None,
                                                                    "sending_opens": None})
    assert reset.status_code == 200, reset.text
    assert not {"min_gap_days", "sending_days", "sending_opens"} & set(reset.json()["settings"])
    schedule = call(client, "POST", "/ladders/preview", keys["jansen"], json=sample).json()["schedule"]
    assert datetime.fromisoformat(schedule[0]["at"]).astimezone(AMS).hour == 8
