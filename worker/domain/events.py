"""Names of timeline events: past tense, one per kind of fact recorded about an invoice or debtor."""

from enum import StrEnum


class EventKind(StrEnum):
    """Every kind of fact the timeline holds."""

    INVOICE_RECEIVED = "InvoiceReceived"
    INVOICE_SEEN_AGAIN = "InvoiceSeenAgain"
    INVOICE_HELD_FOR_REVIEW = "InvoiceHeldForReview"
    REMINDER_RECORDED = "ReminderRecorded"
    REMINDER_SENT = "ReminderSent"
    DELIVERY_FAILED = "DeliveryFailed"
    REMINDER_CANCELLED = "ReminderCancelled"  # checked again at send time: no longer owed or due, never sent
    LETTER_FAILED = "LetterFailed"
    GENERAL_ADDRESS_MISSING = "GeneralAddressMissing"
    HANDED_OFF = "HandedOff"
    REPLY_RECEIVED = "ReplyReceived"
    AUTO_REPLY_RECEIVED = "AutoReplyReceived"
    BOUNCE_RECEIVED = "BounceReceived"
    PAYMENT_RECORDED = "PaymentRecorded"
    PAYMENT_REVERSED = "PaymentReversed"
    UNPROVEN_MAIL_SUMMARISED = "UnprovenMailSummarised"  # the business was told of mail in its name without proof
    PAYMENT_REPORTED = "PaymentReported"  # a debtor's claim, not money: it only holds the ladder
    LADDER_RESUMED = "LadderResumed"
    DEBTOR_UPDATED = "DebtorUpdated"
    BUSINESS_NOTIFIED = "BusinessNotified"
    PROMISE_TO_PAY_RECORDED = "PromiseToPayRecorded"
    CONTACT_MARKED_WRONG = "ContactMarkedWrong"
    OTHER_MAIL_RECEIVED = "OtherMailReceived"
    MESSAGE_ID_REUSED = "MessageIdReused"  # a second message with a known Message-ID and other bytes
    REMITTANCE_NEEDS_REVIEW = "RemittanceNeedsReview"
    LETTER_POSTED = "LetterPosted"
    INVOICE_COPY_RECORDED = "InvoiceCopyRecorded"
    THANK_YOU_RECORDED = "ThankYouRecorded"
    PAYMENT_PLAN_AGREED = "PaymentPlanAgreed"
    NOTE_RECORDED = "NoteRecorded"  # a clerk's note about the invoice (a contact other than a call)
    CALL_RECORDED = "CallRecorded"  # a phone call with the debtor: who, when, what was agreed
    DOSSIER_MADE = "DossierMade"  # the hand-off dossier was put together (on demand or at hand-off)
    REVIEW_DECIDED = "ReviewDecided"  # a person acted on a review item (data: action, who, subject)
    DEBTOR_ERASED = "DebtorErased"  # GDPR art. 17: personal data removed or pseudonymised
    INVOICE_IMPORTED = "InvoiceImported"  # brought in by an import (CSV or ZIP), with who started it
    LADDER_CHANGED = "LadderChanged"  # the business changed the ladder this invoice is on (who, which ladder)
