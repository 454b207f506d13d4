"""The words of the dossier a final notice lists (every contact so far), in each letter language."""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal

from letter_templates.filters import date, money

_STEP_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "arrival_check": "Controle of de factuur is aangekomen",
        "courtesy": "Vriendelijke herinnering vooraf",
        "reminder": "Herinnering",
        "firm_reminder": "Aanmaning",
        "fourteen_day_letter": "Veertiendagenbrief",
        "last_reminder": "Herinnering aan de administratie",
        "final_notice": "Laatste sommatie",
        "promise_broken": "Brief over de niet nagekomen betaalbelofte",
        "instalment_reminder": "Herinnering betalingsregeling",
    },
    "en": {
        "arrival_check": "Check that the invoice arrived",
        "courtesy": "Courtesy note before the due date",
        "reminder": "Reminder",
        "firm_reminder": "Formal notice",
        "fourteen_day_letter": "Fourteen-day letter",
        "last_reminder": "Reminder to the accounts department",
        "final_notice": "Final notice",
        "promise_broken": "Letter about the broken promise to pay",
        "instalment_reminder": "Payment plan reminder",
    },
    "fr": {
        "arrival_check": "Vérification de la bonne réception de la facture",
        "courtesy": "Rappel amical avant l'échéance",
        "reminder": "Rappel",
        "firm_reminder": "Mise en demeure",
        "fourteen_day_letter": "Premier rappel (délai de quatorze jours)",
        "last_reminder": "Rappel au service comptable",
        "final_notice": "Dernière mise en demeure",
        "promise_broken": "Lettre sur la promesse de paiement non tenue",
        "instalment_reminder": "Rappel du plan de paiement",
    },
    "de": {
        "arrival_check": "Nachfrage, ob die Rechnung angekommen ist",
        "courtesy": "Freundlicher Hinweis vor Fälligkeit",
        "reminder": "Zahlungserinnerung",
        "firm_reminder": "Mahnung",
        "fourteen_day_letter": "Vierzehn-Tage-Mahnung",
        "last_reminder": "Mahnung an die Buchhaltung",
        "final_notice": "Letzte Mahnung",
        "promise_broken": "Schreiben zum nicht eingehaltenen Zahlungsversprechen",
        "instalment_reminder": "Erinnerung Ratenzahlung",
    },
}

_PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "invoice_sent": "Factuur {detail} verstuurd",
        "sent": "{step} verstuurd",
        "sent_to": "{step} verstuurd aan {who}",
        "posted": "{step} per post verstuurd",
        "reply": "Reactie ontvangen van {who}",
        "promise": "Betaalbelofte: betaling vóór {detail}",
        "payment": "Betaling ontvangen: {detail}",
        "channel.email": "e-mail",
        "channel.letter": "brief",
        "channel.phone": "telefoon",
    },
    "en": {
        "invoice_sent": "Invoice {detail} sent",
        "sent": "{step} sent",
        "sent_to": "{step} sent to {who}",
        "posted": "{step} sent by post",
        "reply": "Reply received from {who}",
        "promise": "Promise to pay by {detail}",
        "payment": "Payment received: {detail}",
        "channel.email": "e-mail",
        "channel.letter": "letter",
        "channel.phone": "phone",
    },
    "fr": {
        "invoice_sent": "Facture {detail} envoyée",
        "sent": "{step} envoyé",
        "sent_to": "{step} envoyé à {who}",
        "posted": "{step} envoyé par la poste",
        "reply": "Réponse reçue de {who}",
        "promise": "Promesse de paiement avant le {detail}",
        "payment": "Paiement reçu : {detail}",
        "channel.email": "e-mail",
        "channel.letter": "courrier",
        "channel.phone": "téléphone",
    },
    "de": {
        "invoice_sent": "Rechnung {detail} versandt",
        "sent": "{step} versandt",
        "sent_to": "{step} versandt an {who}",
        "posted": "{step} per Post versandt",
        "reply": "Antwort erhalten von {who}",
        "promise": "Zahlungsversprechen bis {detail}",
        "payment": "Zahlung erhalten: {detail}",
        "channel.email": "E-Mail",
        "channel.letter": "Brief",
        "channel.phone": "Telefon",
    },
}


def _written(detail: object, language: str) -> str:
    if isinstance(detail, Decimal):
        return money(detail, "EUR", language)
    if isinstance(detail, date_type):
        return date(detail, language)
    return "" if detail is None else str(detail)


def describe(kind: str, language: str, who: str | None = None, detail: object = None) -> str:
    """`kind` is a phrase key, or `step:NAME` for a letter we sent (`sent_to` when `who` is known)."""
    phrases = _PHRASES.get(language, _PHRASES["en"])
    if kind.startswith("step:"):
        name = kind.partition(":")[2]
        step = _STEP_NAMES.get(language, _STEP_NAMES["en"]).get(name, name.replace("_", " "))
        key = "posted" if detail == "letter" else ("sent_to" if who else "sent")
        return phrases[key].format(step=step, who=who)
    return phrases.get(kind, kind).format(who=who or "", detail=_written(detail, language))
