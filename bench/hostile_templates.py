"""Hostile template uploads, each tried several times through the real upload use case on a scratch database;
after every attempt the letter that was working must still be the active one and still render.

    .venv/bin/python bench/hostile_templates.py [--times 5]

Prints the "hostile input" table: input, times tried, outcome (the refusal code and reason), letters lost.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402

from letter_templates.library import builtin_template  # noqa: E402
from letter_templates.render import render_letter  # noqa: E402
from letter_templates.vocabulary import sample_context  # noqa: E402
from tests.unit.letter_templates.hostile_docx import (  # noqa: E402
    add_content_type,
    add_rel,
    in_body,
    lie_about_size,
    rewrite,
    with_doctype,
    zip_bomb,
)
from worker.db.migrate import upgrade  # noqa: E402
from worker.db.models import Business  # noqa: E402
from worker.db.session import make_engine, make_session_factory  # noqa: E402
from worker.usecases.businesses import create_business  # noqa: E402
from worker.usecases.templates import TemplateRejected, resolve_template, upload_template  # noqa: E402

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
RELS = "word/_rels/document.xml.rels"


def with_paragraph(text: str) -> bytes:
    document = Document(io.BytesIO(builtin_template("reminder", "nl")))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hostile_inputs() -> list[tuple[str, bytes, str]]:
    base = builtin_template("reminder", "nl")
    bomb = zip_bomb(300)
    laughs = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    return [
        ("zip bomb: document.xml inflates to 300 MB (1.4 MB file)", bomb, "reminder.docx"),
        ("zip bomb whose headers claim 100 KB", lie_about_size(bomb, "word/document.xml", 100_000), "reminder.docx"),
        ("6 MB file", b"PK" + b"\0" * (6 << 20), "reminder.docx"),
        ("vbaProject.bin (macros) in a .docx", rewrite(base, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0",
         "[Content_Types].xml": lambda x: add_content_type(
             x, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')}), "reminder.docx"),
        ("a .docm file name", base, "reminder.docm"),
        ("ActiveX control", rewrite(base, {"word/activeX/activeX1.xml": b"<x/>"}), "reminder.docx"),
        ("external image (tracking pixel)", rewrite(base, {RELS: lambda x: add_rel(x, (
            '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'image" Target="http://tracker.example/p.png" TargetMode="External"/>'))}), "reminder.docx"),
        ("DDEAUTO field", rewrite(base, {"word/document.xml": in_body(
            '<w:p><w:r><w:instrText>DDEAUTO cmd.exe "/k calc"</w:instrText></w:r></w:p>')}), "reminder.docx"),
        ("XXE entity reading /etc/passwd", rewrite(base, {"word/document.xml": with_doctype(
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")}), "reminder.docx"),
        ("billion laughs", rewrite(base, {"word/document.xml": with_doctype(
            f"<!DOCTYPE w:document [{laughs}]>", "&lol9;")}), "reminder.docx"),
        ("{% for i in range(100000000) %}", with_paragraph("{% for i in range(100000000) %}{{ i }}{% endfor %}"),
         "reminder.docx"),
        ("{{ 'x' * 1000000000 }}", with_paragraph("{{ 'x' * 1000000000 }}"), "reminder.docx"),
        ("three nested range(1000) loops", with_paragraph(
            "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}"
            "{% endfor %}{% endfor %}"), "reminder.docx"),
        ("{{ 'x'|center(10**9) }}", with_paragraph("{{ 'x'|center(10 ** 9) }}"), "reminder.docx"),
        ("join of a generator to 900 MB", with_paragraph(
            "{{ range(10000)|map('string')|join('x' * 90000) }}"), "reminder.docx"),
        ("slow loops within the caps (~100 s of work)", with_paragraph(
            "{% for i in range(10000) %}{% for j in range(10) %}{{ ('ab' * 300000)|replace('a', 'cd')|length }}"
            "{% endfor %}{% endfor %}"), "reminder.docx"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/hostile.db")
        upgrade(engine)
        sessions = make_session_factory(engine)
        working = with_paragraph("Wij zien uw betaling graag deze week tegemoet.")
        with sessions.begin() as session:
            business, _ = create_business(session, name="Bench B.V.", senders=["b@bench.example"],
                                          from_address="b@bench.example", iban="NL91ABNA0417164300", now=NOW)
            business_id = business.id
            upload_template(session, business_id=business_id, debtor_id=None, name="reminder", language="nl",
                            docx=working, uploaded_by="bench", now=NOW)
        print("| hostile input | times tried | outcome | worst seconds | letters lost |")
        print("|---|---|---|---|---|")
        for label, data, filename in hostile_inputs():
            outcomes: Counter[str] = Counter()
            lost, worst = 0, 0.0
            for _ in range(args.times):
                started = time.perf_counter()
                try:
                    with sessions.begin() as session:
                        session.get_one(Business, business_id)
                        upload_template(session, business_id=business_id, debtor_id=None, name="reminder",
                                        language="nl", docx=data, uploaded_by="attacker", now=NOW,
                                        filename=filename)
                    outcomes["ACCEPTED"] += 1
                except TemplateRejected as exc:
                    first = exc.problems[0]
                    outcomes[f"refused `{first.code}`: {first.message[:90]}"] += 1
                worst = max(worst, time.perf_counter() - started)
                with sessions() as session:
                    active = resolve_template(session, business_id, None, "reminder", "nl")
                try:
                    ok = active == working and "deze week" in render_letter(active, sample_context(), "nl").text
                except Exception:  # noqa: BLE001 - any failure here is a lost letter
                    ok = False
                lost += not ok
            outcome = "; ".join(f"{text} ({n}x)" if len(outcomes) > 1 else text for text, n in outcomes.items())
            print(f"| {label} | {args.times} | {outcome.replace('|', '/')} | {worst:.2f} | {lost} |")


if __name__ == "__main__":
    main()
