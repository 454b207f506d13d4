"""The words of the notices the business gets about things it should fix, in Dutch and English."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """What to tell the business: a one-line title, what happened, what to do; `key` makes it once-only."""

    key: str
    title: str
    message: str
    action: str | None


def general_address_missing(language: str, debtor_id: int, debtor: str, step: str) -> Notice:
    if language == "nl":
        return Notice(f"general-missing.d{debtor_id}", f"Geen algemeen e-mailadres bekend van {debtor}",
                      f"De {step.replace('_', ' ')} hoort naar het algemene adres van de klant te gaan, met de "
                      "contactpersoon in CC (die kan vertrokken zijn). Dat adres kennen wij niet, dus is de brief "
                      "alleen naar de contactpersoon gegaan.",
                      f"Vul het algemene adres aan met PUT /debtors/{debtor_id} (general_email).")
    return Notice(f"general-missing.d{debtor_id}", f"No general e-mail address known for {debtor}",
                  f"The {step.replace('_', ' ')} should go to the customer's general address with the contact in CC "
                  "(who may have left). We do not know that address, so the letter went to the contact only.",
                  f"Add it with PUT /debtors/{debtor_id} (general_email).")


def contact_unreachable(language: str, debtor_id: int, debtor: str, address: str, why: str) -> Notice:
    if language == "nl":
        reason = {"bounce": "de e-mail kwam onbestelbaar terug",
                  "wrong_contact": "de klant meldt dat dit niet (meer) de juiste persoon is"}[why]
        return Notice(f"unreachable.d{debtor_id}.{address}", f"Contactpersoon van {debtor} onbereikbaar",
                      f"Berichten aan {address} komen niet aan: {reason}. Volgende brieven gaan naar het "
                      "algemene adres van de klant.",
                      f"Geef een nieuw contactadres op met PUT /debtors/{debtor_id} (contact_email).")
    reason = {"bounce": "the e-mail bounced", "wrong_contact": "the customer says this is not (or no longer) the "
              "right person"}[why]
    return Notice(f"unreachable.d{debtor_id}.{address}", f"Contact at {debtor} unreachable",
                  f"Messages to {address} do not arrive: {reason}. Later letters go to the customer's general "
                  "address.", f"Give a new contact address with PUT /debtors/{debtor_id} (contact_email).")


def pdf_unavailable(language: str) -> Notice:
    if language == "nl":
        return Notice("no-libreoffice", "Brieven gaan als Word-bestand in plaats van PDF",
                      "LibreOffice is niet geïnstalleerd op de server, dus de brieven worden als .docx bijgevoegd. "
                      "Ze gaan gewoon de deur uit.",
                      "Laat de beheerder scripts/install.sh draaien (installeert LibreOffice).")
    return Notice("no-libreoffice", "Letters go out as Word files instead of PDF",
                  "LibreOffice is not installed on the server, so letters are attached as .docx. They still go out.",
                  "Ask the operator to run scripts/install.sh (it installs LibreOffice).")
