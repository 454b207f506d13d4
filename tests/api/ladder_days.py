"""Run the real tick day by day on the contacts world, sending what it records over a recording sender; read a
dossier's PDF as plain text. Shared by the dossier test and the finance story."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pdfplumber
from sqlalchemy import select

from worker.adapters.letters import LetterSettings
from worker.db.models import Invoice, TimelineEvent
from worker.usecases.send import send_outbound
from worker.usecases.tick import run_tick

AMS = ZoneInfo("Europe/Amsterdam")
LETTERS = LetterSettings("invoices@service.test", "service.test", None)


class Recording:
    """A sender that accepts everything: these tests are about what is decided and kept, not about SMTP."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send(self, message, recipients):  # type: ignore[no-untyped-def]
        self.sent.append(message.as_bytes())


def tick_day(world, day: datetime, sender: Recording) -> None:  # type: ignore[no-untyped-def]
    """One tick at `day` (10:00 local), every letter it records sent at once."""
    world.container.clock.now = day
    recorded: list[int] = []
    run_tick(world.container.sessions, day, LETTERS, lambda oid, _expired, into=recorded: into.append(oid))
    for outbound_id in recorded:
        send_outbound(world.container.sessions, sender, outbound_id, day, letters=lambda: LETTERS)


def run_ladder_to_its_end(world, invoice_id: int, start: datetime, sender: Recording | None = None,  # type: ignore[no-untyped-def]
                          days: int = 120) -> datetime:
    """The real tick, day by day at 10:00 in Amsterdam from `start`, until the invoice is handed off; its moment."""
    sender = sender or Recording()
    for day in range(days):
        tick_day(world, start + timedelta(days=day), sender)
        with world.container.sessions() as session:
            if session.get_one(Invoice, invoice_id).status == "handed_off":
                return session.scalars(select(TimelineEvent.at).where(
                    TimelineEvent.invoice_id == invoice_id, TimelineEvent.kind == "HandedOff")).one()
    raise AssertionError("the ladder never handed the invoice off")


def pdf_text(content: bytes) -> str:
    """The PDF's words with every line break and run of spaces as one space (long lines wrap in the PDF)."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
