"""Tell a business once a day about mail that claimed to be its own without proof (possible forgeries)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, InboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.usecases.notice_texts import Notice
from worker.usecases.notices import notify_business
from worker.usecases.tenancy import UNPROVEN_KIND
from worker.usecases.timeline import record_event

_LISTED = 20  # the notice names the first few; the review queue has them all


def _notice(language: str, day: str, rows: list[InboundMessage]) -> Notice:
    lines = "\n".join(f"- {r.received_at:%Y-%m-%d %H:%M} {r.from_address or '?'}: {r.subject or ''}"
                      for r in rows[:_LISTED])
    more = len(rows) - min(len(rows), _LISTED)
    if language == "nl":
        return Notice(
            f"unproven-mail.{day}", f"{len(rows)} e-mail(s) in uw naam zonder bewijs van afzender",
            "Deze berichten gebruiken uw afzenderadres, maar kwamen niet via uw geheime BCC-adres binnen en uw "
            "mailprovider bevestigde de afzender niet (DMARC). Er is niets mee gedaan: geen factuur aangemaakt, "
            f"geen herinnering verstuurd.\n\n{lines}" + (f"\n… en nog {more}" if more else ""),
            "Waren het echte facturen? Stuur ze opnieuw met uw geheime BCC-adres. Zo niet, dan probeert iemand "
            "uw naam te misbruiken; u hoeft niets te doen.")
    return Notice(
        f"unproven-mail.{day}", f"{len(rows)} e-mail(s) in your name without proof of sender",
        "These messages use your sender address, but did not arrive through your secret BCC address and your "
        "mail provider did not confirm the sender (DMARC). Nothing was done with them: no invoice was created and "
        f"no reminder sent.\n\n{lines}" + (f"\n… and {more} more" if more else ""),
        "Were they real invoices? Send them again with your secret BCC address. If not, someone is misusing your "
        "name; there is nothing you need to do.")


def summarise_unproven_mail(sessions: sessionmaker[Session], business_id: int, now: datetime,
                            letters: LetterSettings) -> None:
    """At most one notice a day, covering every such message since the last one.

    Runs every tick: two index lookups when there is nothing new (see migration 0012's indexes), whatever the
    number of invoices, events or messages."""
    with sessions.begin() as session:
        newest = session.scalar(select(func.max(InboundMessage.id)).where(
            InboundMessage.business_id == business_id, InboundMessage.status == "quarantined",
            InboundMessage.kind == UNPROVEN_KIND))
        if newest is None:
            return
        last = session.scalars(select(TimelineEvent.data).where(
            TimelineEvent.business_id == business_id, TimelineEvent.kind == EventKind.UNPROVEN_MAIL_SUMMARISED.value,
        ).order_by(TimelineEvent.id.desc()).limit(1)).first()
        through = (last or {}).get("through_id", 0)
        if newest <= through:
            return
        rows = list(session.scalars(select(InboundMessage).where(
            InboundMessage.business_id == business_id, InboundMessage.status == "quarantined",
            InboundMessage.kind == UNPROVEN_KIND, InboundMessage.id > through,
        ).order_by(InboundMessage.id)))
        if not rows:
            return
        business = session.get_one(Business, business_id)
        day = now.astimezone(ZoneInfo(business.timezone)).date().isoformat()
        sent = notify_business(session, business, _notice(business.language, day, rows), now=now, letters=letters)
        if sent is not None:  # None: today's notice went out already; these wait for tomorrow's
            record_event(session, EventKind.UNPROVEN_MAIL_SUMMARISED, at=now, business_id=business_id,
                         outbound_message_id=sent.id, through_id=rows[-1].id, count=len(rows))
