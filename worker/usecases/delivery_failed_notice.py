"""The words of the notice that a message to a customer could not be delivered, in the business's language."""

from worker.domain.letter_plan import LANGUAGES
from worker.usecases.notice_texts import Notice


def delivery_failed(language: str, outbound_id: int, debtor: str, recipients: list[str], subject: str,
                    reason: str, debtor_id: int | None) -> Notice:
    """Once per outbox row (the key names it): who did not get what, the server's answer, what to do."""
    language = language if language in LANGUAGES else "en"
    to = ", ".join(recipients) or "?"
    api = f"GET /review; PUT /debtors/{debtor_id} with contact_email" if debtor_id else "GET /review"
    texts = {
        "nl": (f"E-mail aan {debtor} niet bezorgd",
               f"Het bericht \u201c{subject}\u201d aan {to} kon niet worden bezorgd. De mailserver antwoordde: "
               f"{reason}",
               f"Controleer het e-mailadres van {debtor} en verbeter het bij deze klant; neem zo nodig telefonisch "
               "contact op."),
        "en": (f"E-mail to {debtor} not delivered",
               f"The message \u201c{subject}\u201d to {to} could not be delivered. The mail server answered: {reason}",
               f"Check the e-mail address of {debtor} and correct it for this customer; call them if needed."),
        "fr": (f"E-mail à {debtor} non distribué",
               f"Le message \u00ab {subject} \u00bb à {to} n'a pas pu être distribué. Le serveur de messagerie a "
               f"répondu : {reason}",
               f"Vérifiez l'adresse e-mail de {debtor} et corrigez-la pour ce client ; appelez-le si nécessaire."),
        "de": (f"E-Mail an {debtor} nicht zugestellt",
               f"Die Nachricht \u201e{subject}\u201c an {to} konnte nicht zugestellt werden. Der Mailserver "
               f"antwortete: {reason}",
               f"Prüfen Sie die E-Mail-Adresse von {debtor} und korrigieren Sie sie bei diesem Kunden; rufen Sie "
               "ihn notfalls an."),
    }
    title, message, action = texts[language]
    return Notice(f"delivery-failed.o{outbound_id}", title, message, action, api)
