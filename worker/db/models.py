"""The tables: businesses, debtors, invoices, payments, inbound and outbound mail, timeline events."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

MONEY = Numeric(14, 2)
RECOMPUTE = datetime(1970, 1, 1, tzinfo=UTC)  # `next_action_at` meaning "a fact changed: decide again now"


class UtcDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and hand them back aware, also on SQLite (which forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with timezone-aware timestamps everywhere."""

    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class Business(Base):
    """A tenant: a company that BCCs its outgoing invoices to the service."""

    __tablename__ = "businesses"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Mail from these addresses (or @domain entries) is trusted as this business's outgoing invoices.
    sender_allowlist: Mapped[list[str]] = mapped_column(default=list)
    # The secret address the business BCCs: mail delivered to it is proven to be this business's.
    ingest_address: Mapped[str | None] = mapped_column(String(320), unique=True)
    # Earlier ingest addresses (rotated because they may have leaked): mail to them is quarantined.
    retired_ingest_addresses: Mapped[list[str]] = mapped_column(default=list)
    from_address: Mapped[str] = mapped_column(String(320))
    from_name: Mapped[str] = mapped_column(String(200))
    iban: Mapped[str | None] = mapped_column(String(34))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The hash of the business's first API key; never read (keys live in api_keys, see migration 0005).
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class Debtor(Base):
    """A customer of a business, with the person who gets the mail and the company's general address."""

    __tablename__ = "debtors"
    __table_args__ = (UniqueConstraint("business_id", "contact_email"),
                      Index("ix_debtors_business_id_id", "business_id", "id"))  # migration 0015
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str] = mapped_column(String(320))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    general_email: Mapped[str | None] = mapped_column(String(320))
    contact_undeliverable: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(5))
    # A consumer gets the consumer ladder (the 14-dagenbrief before any costs); an offline debtor gets paper.
    is_consumer: Mapped[bool] = mapped_column(Boolean, default=False)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    # The letters' register for this customer: formal (default), informal or plain language.
    letter_tone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    # Postal address (lines joined by newlines) for the address window of printed letters; read from the invoice.
    address: Mapped[str | None] = mapped_column(Text)
    # Whose collection law applies when a person sets it (ISO alpha-2, NL or BE); else the business's country.
    country: Mapped[str | None] = mapped_column(String(2))
    # The consumer agreed to receive notices by e-mail: only then does the 14-day letter go by e-mail.
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the debtor's personal data was erased (GDPR art. 17, migration 0018); the fields then hold a pseudonym.
    erased_at: Mapped[datetime | None]


class Invoice(Base):
    """An invoice read from a BCC'd e-mail; its history lives in timeline events, not in columns."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("business_id", "number"),
                      Index("ix_invoices_next_action_at", "next_action_at"),  # 0012
                      # migration 0015: the list's filters and sort orders, and the ageing report's columns
                      Index("ix_invoices_business_id_id", "business_id", "id"),
                      Index("ix_invoices_business_status_id", "business_id", "status", "id"),
                      Index("ix_invoices_business_debtor_id", "business_id", "debtor_id", "id"),
                      Index("ix_invoices_business_due_id", "business_id", "due_date", "id"),
                      Index("ix_invoices_ageing", "business_id", "status", "due_date", "currency", "amount_due",
                            "amount_paid", "debtor_id"),
                      Index("ix_invoices_source_message_id", "source_message_id"))  # 0018: the retention purge
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_due: Mapped[Decimal | None] = mapped_column(MONEY)
    # A projection of the `payments` rows, rewritten from their sum by worker.usecases.ledger in the same
    # transaction (under a lock on this row) as every payment or reversal, never incremented; it stays so that
    # lists, the ageing report and letters read the paid amount without summing events per invoice.
    amount_paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    reply_token: Mapped[str] = mapped_column(String(40), unique=True)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    parsed: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    # The next moment something can happen to the invoice (the tick selects `<= now` through the index); None:
    # nothing until a fact changes. Earlier is always safe; see worker.db.fact_changes and worker.domain.next_action.
    next_action_at: Mapped[datetime | None] = mapped_column(default=RECOMPUTE)


class InboundMessage(Base):
    """Every message that reached the mailbox, stored raw before anything else happens to it."""

    __tablename__ = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_business_status_id", "business_id", "status", "id"),  # 0015
                      Index("ix_inbound_messages_business_status_kind", "business_id", "status", "kind"),  # 0012
                      Index("ix_inbound_messages_purge", "raw_purged_at", "received_at"))  # 0018
    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(500), unique=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    mailbox_uid: Mapped[str | None] = mapped_column(String(100))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    from_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)  # stored (pending) | processed | quarantined | failed
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    # sha256 of the raw bytes: the same bytes are stored once; one Message-ID with other bytes is another message.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Retry state of a message whose processing met a transient error or a bug (status stays `stored`).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    mailbox_uidvalidity: Mapped[int | None] = mapped_column(BigInteger)  # the IMAP UIDs are valid under this
    same_message_id_as: Mapped[int | None] = mapped_column(Integer)  # the earlier message with this Message-ID
    # When `raw` was emptied: by the retention purge, or by erasing the debtor who sent it (migration 0018).
    raw_purged_at: Mapped[datetime | None]


class OutboundMessage(Base):
    """The outbox: a message recorded (rendered, addressed) before it is sent.

    One reminder may cover several invoices of a debtor (see OutboundInvoice); `invoice_id` is the first
    of them. Notices to the business itself (no invoice, step `notice:<kind>`) are kept unique by their
    deterministic Message-ID.
    """

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_business_status_id", "business_id", "status", "id"),)  # 0015
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    debtor_id: Mapped[int | None] = mapped_column(ForeignKey("debtors.id"), index=True)  # the tick's minimum gap
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    step: Mapped[str] = mapped_column(String(60))
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    to_addresses: Mapped[list[str]] = mapped_column(default=list)
    cc_addresses: Mapped[list[str]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # pending | sending | sent | failed | cancelled | rerouted
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]  # when a send job took it; a stale claim means a crashed sender
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # When the next send attempt may run (None: at once); the sweep enqueues rows whose moment has come.
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    # When the business was told that this message could not be delivered (once, after the last attempt).
    escalated_at: Mapped[datetime | None]
    # The SMTP server's id for the accepted message, read from its final reply to DATA (migration 0010).
    queue_id: Mapped[str | None] = mapped_column(String(200))
    # What the tick decided, enough to render the letter later at its decision time (migration 0013); None for
    # rows rendered when recorded. `raw` and `subject` stay empty until `rendered_at` is set.
    render_context: Mapped[dict[str, Any] | None]
    rendered_at: Mapped[datetime | None]


class OutboundInvoice(Base):
    """Which invoices a reminder covers; unique per (invoice, step), so no invoice gets a step twice."""

    __tablename__ = "outbound_invoices"
    __table_args__ = (UniqueConstraint("invoice_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outbound_message_id: Mapped[int] = mapped_column(ForeignKey("outbound_messages.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    step: Mapped[str] = mapped_column(String(60))


class TimelineEvent(Base):
    """One past-tense fact about an invoice (or a debtor): the dossier a collection agency needs."""

    __tablename__ = "timeline_events"
    # (business_id, kind, at, id) also serves the tick's look-ups by business and kind (0012 made none of its own)
    __table_args__ = (Index("ix_timeline_events_business_kind_at", "business_id", "kind", "at", "id"),  # 0015
                      Index("ix_timeline_events_invoice_at", "invoice_id", "at", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    debtor_id: Mapped[int | None] = mapped_column(ForeignKey("debtors.id"))
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    outbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))


class MailboxState(Base):
    """Where ingest stopped in a mailbox: UIDVALIDITY and the last UID handled."""

    __tablename__ = "mailbox_state"
    mailbox: Mapped[str] = mapped_column(String(300), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer)


class ApiKey(Base):
    """One API key of a business: only its sha256 is kept, found by the short public prefix shown in listings.

    `prefix` is None for a key carried over from before keys had prefixes (only its hash was known); it is
    filled in the first time that key is used.
    """

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    prefix: Mapped[str | None] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


from worker.db.ladder_models import BusinessLadder  # noqa: E402,F401
from worker.db.template_models import LetterTemplate  # noqa: E402,F401


class Payment(Base):
    """One immutable money event on an invoice: a payment received, or the reversal of one (a correction).

    Rows are only ever added: the paid amount is the sum of these rows, and a mistake is undone by a reversal
    row that points at the payment it takes back, so the history accounting reads stays complete.
    """

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="payment_amount_positive"),
        CheckConstraint("credit >= 0 AND credit <= amount", name="payment_credit_within_amount"),
        CheckConstraint("kind IN ('payment', 'reversal')", name="payment_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # payment | reversal
    # Unique: a payment is taken back at most once, even by two clerks at the same moment.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)  # received (or, for a reversal, taken back); always positive
    # The part of `amount` beyond what was open when it arrived, kept as the debtor's credit (an overpayment).
    credit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    paid_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # api | bank | remittance
    note: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


@event.listens_for(Payment, "before_update")
def _payments_are_immutable(_mapper: Any, _connection: Any, target: Payment) -> None:
    raise ValueError(f"payment {target.id} is an immutable event; record a reversal instead of changing it")


class IdempotencyKey(Base):
    """A write the API answered under an `Idempotency-Key`: a retry gets the stored answer, the write happens once."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("business_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the route and the canonical body
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class BankStatementImport(Base):
    """One bank statement file read (uploaded, given to the CLI or mailed to the ingest address), with its counts."""

    __tablename__ = "bank_statements"
    __table_args__ = (Index("ix_bank_statements_business_id_id", "business_id", "id"),)  # migration 0015
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    filename: Mapped[str | None] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(20))
    account_iban: Mapped[str | None] = mapped_column(String(34))
    source: Mapped[str] = mapped_column(String(10))  # upload | cli | email
    inbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    transactions: Mapped[int] = mapped_column(Integer)
    credits: Mapped[int] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer)
    review: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime]


class BankTransaction(Base):
    """One statement line, stored once per business (re-imports find it by `dedup_key`), with what became of it."""

    __tablename__ = "bank_transactions"
    __table_args__ = (UniqueConstraint("business_id", "dedup_key"),
                      Index("ix_bank_transactions_business_status_date", "business_id", "status", "booking_date",
                            "id"),  # migration 0015
                      Index("ix_bank_transactions_statement_id_id", "statement_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    # The bank's transaction reference, or a hash of account, date, amount and remittance when it gives none.
    dedup_key: Mapped[str] = mapped_column(String(64))
    account_iban: Mapped[str | None] = mapped_column(String(34))
    booking_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    credit: Mapped[bool] = mapped_column(Boolean)
    reversal: Mapped[bool] = mapped_column(Boolean, default=False)
    bank_reference: Mapped[str | None] = mapped_column(String(200))
    end_to_end_id: Mapped[str | None] = mapped_column(String(200))
    counterparty_name: Mapped[str | None] = mapped_column(String(300))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34), index=True)
    remittance: Mapped[str] = mapped_column(Text, default="")
    creditor_reference: Mapped[str | None] = mapped_column(String(40))
    # matched | review | assigned | not_ours | reversed (a chargeback booked) | debit (nothing to do)
    status: Mapped[str] = mapped_column(String(20), index=True)
    rule: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    candidates: Mapped[list[int]] = mapped_column(JSON, default=list)
    debtor_id: Mapped[int | None] = mapped_column(ForeignKey("debtors.id"))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class BankAllocation(Base):
    """Which payment a statement line became (one line may pay several invoices)."""

    __tablename__ = "bank_allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    bank_transaction_id: Mapped[int] = mapped_column(ForeignKey("bank_transactions.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)


class OutboundDelivery(Base):
    """What the SMTP server said about one recipient of one outbox message (the latest word wins).

    accepted: taken at RCPT TO and the DATA that followed; deferred: 4xx, to be retried; refused: 5xx, for good;
    unknown: the attempt broke off after the data was sent, so proof is looked for before a resend.
    """

    __tablename__ = "outbound_deliveries"
    __table_args__ = (UniqueConstraint("outbound_message_id", "recipient"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outbound_message_id: Mapped[int] = mapped_column(ForeignKey("outbound_messages.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(10))  # to | cc
    status: Mapped[str] = mapped_column(String(20))  # accepted | deferred | refused | unknown
    code: Mapped[int | None] = mapped_column(Integer)
    reply: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime]


class NoticeItem(Base):
    """One thing a business is told; items of one kind within an hour share one notice (`outbound_message_id`)."""

    __tablename__ = "notice_items"
    __table_args__ = (UniqueConstraint("business_id", "key", name="uq_notice_items_business_key"),
                      Index("ix_notice_items_business_kind", "business_id", "kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(300))  # once-only: the same key is told once
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    inbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    outbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"), index=True)
    created_at: Mapped[datetime]


class NextActionWake(Base):
    """A fact changed for an invoice, a debtor's open invoices or a business's: the next tick marks them to be
    decided again (see worker.db.fact_changes). An insert never waits on an invoice row lock, so a change here
    cannot deadlock with the tick or another change; the tick turns these into `next_action_at` marks."""

    __tablename__ = "next_action_wakes"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(Integer)
    debtor_id: Mapped[int | None] = mapped_column(Integer)
    business_id: Mapped[int | None] = mapped_column(Integer)
