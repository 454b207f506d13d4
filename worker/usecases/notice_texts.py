"""The words of the notices the business gets about things it should fix: in its own language, plain, saying
what to do the way a bookkeeper would do it; the API call is only a footnote for whoever automates."""

from dataclasses import dataclass

from worker.domain.letter_plan import LANGUAGES


@dataclass(frozen=True)
class Notice:
    """What to tell the business: a one-line title, what happened, what to do; `key` makes it once-only."""

    key: str
    title: str
    message: str
    action: str | None
    api: str | None = None  # the API call that does the same, printed as a footnote


_STEP = {
    "nl": {"last_reminder": "herinnering aan de administratie", "final_notice": "laatste sommatie",
           "promise_broken": "brief over de betaalbelofte"},
    "en": {"last_reminder": "reminder to the accounts department", "final_notice": "final notice",
           "promise_broken": "letter about the promise to pay"},
    "fr": {"last_reminder": "rappel au service comptable", "final_notice": "dernière mise en demeure",
           "promise_broken": "lettre sur la promesse de paiement"},
    "de": {"last_reminder": "Mahnung an die Buchhaltung", "final_notice": "letzte Mahnung",
           "promise_broken": "Schreiben zum Zahlungsversprechen"},
}


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


def general_address_missing(language: str, debtor_id: int, debtor: str, step: str) -> Notice:
    key, api = f"general-missing.d{debtor_id}", f"PUT /debtors/{debtor_id} with general_email"
    language = _language(language)
    what = _STEP[language].get(step, step.replace("_", " "))
    texts = {
        "nl": (f"Algemeen e-mailadres van {debtor} ontbreekt",
               f"De {what} hoort naar het algemene e-mailadres van {debtor} te gaan (bijvoorbeeld info@…), met de "
               "contactpersoon in kopie: die kan vertrokken zijn. Wij kennen dat adres niet, dus ging de brief "
               "alleen naar de contactpersoon.",
               f"Zoek het algemene e-mailadres van {debtor} op (op hun website of briefpapier) en vul het in bij "
               "deze klant."),
        "en": (f"General e-mail address of {debtor} missing",
               f"The {what} should go to the general e-mail address of {debtor} (such as info@…), with the contact "
               "person in copy, who may have left. We do not know that address, so the letter went to the contact "
               "only.", f"Look up the general e-mail address of {debtor} (on their website or letterhead) and add it "
               "to this customer."),
        "fr": (f"Adresse e-mail générale de {debtor} manquante",
               f"Le {what} doit être envoyé à l'adresse e-mail générale de {debtor} (par exemple info@…), avec la "
               "personne de contact en copie, qui a peut-être quitté l'entreprise. Nous ne connaissons pas cette "
               "adresse : la lettre n'a été envoyée qu'à la personne de contact.",
               f"Recherchez l'adresse e-mail générale de {debtor} (sur son site ou son papier à lettres) et "
               "ajoutez-la à ce client."),
        "de": (f"Allgemeine E-Mail-Adresse von {debtor} fehlt",
               f"Die {what} soll an die allgemeine E-Mail-Adresse von {debtor} gehen (etwa info@…), mit der "
               "Kontaktperson in Kopie, die das Unternehmen verlassen haben könnte. Diese Adresse kennen wir "
               "nicht, daher ging das Schreiben nur an die Kontaktperson.",
               f"Suchen Sie die allgemeine E-Mail-Adresse von {debtor} heraus (Website oder Briefpapier) und "
               "tragen Sie sie bei diesem Kunden ein."),
    }
    title, message, action = texts[language]
    return Notice(key, title, message, action, api)


def contact_unreachable(language: str, debtor_id: int, debtor: str, address: str, why: str) -> Notice:
    key, api = f"unreachable.d{debtor_id}.{address}", f"PUT /debtors/{debtor_id} with contact_email"
    language = _language(language)
    reasons = {
        "nl": {"bounce": "de e-mail kwam onbestelbaar terug",
               "wrong_contact": "de klant meldt dat dit niet (meer) de juiste persoon is"},
        "en": {"bounce": "the e-mail bounced", "wrong_contact": "the customer says this is not (or no longer) the "
               "right person"},
        "fr": {"bounce": "l'e-mail nous est revenu non distribué",
               "wrong_contact": "le client indique que ce n'est pas (ou plus) la bonne personne"},
        "de": {"bounce": "die E-Mail kam als unzustellbar zurück",
               "wrong_contact": "der Kunde teilt mit, dass dies nicht (mehr) die richtige Person ist"},
    }
    reason = reasons[language][why]
    texts = {
        "nl": (f"Contactpersoon van {debtor} onbereikbaar",
               f"Berichten aan {address} komen niet aan: {reason}. Volgende brieven gaan naar het algemene adres "
               "van de klant.", f"Vraag {debtor} wie nu over de betaling van uw facturen gaat, en vul dat "
               "e-mailadres in als contactpersoon van deze klant."),
        "en": (f"Contact at {debtor} unreachable",
               f"Messages to {address} do not arrive: {reason}. Later letters go to the customer's general address.",
               f"Ask {debtor} who now handles your invoices, and enter that e-mail address as this customer's "
               "contact."),
        "fr": (f"Contact chez {debtor} injoignable",
               f"Les messages à {address} n'arrivent pas : {reason}. Les prochaines lettres iront à l'adresse "
               "générale du client.", f"Demandez à {debtor} qui s'occupe désormais de vos factures et indiquez cette "
               "adresse e-mail comme contact de ce client."),
        "de": (f"Kontaktperson bei {debtor} nicht erreichbar",
               f"Nachrichten an {address} kommen nicht an: {reason}. Weitere Schreiben gehen an die allgemeine "
               "Adresse des Kunden.", f"Fragen Sie bei {debtor} nach, wer jetzt Ihre Rechnungen bearbeitet, und "
               "tragen Sie diese E-Mail-Adresse als Kontakt dieses Kunden ein."),
    }
    title, message, action = texts[language]
    return Notice(key, title, message, action, api)


def pdf_unavailable(language: str) -> Notice:
    texts = {
        "nl": ("Brieven gaan als Word-bestand in plaats van PDF",
               "Op de server ontbreekt het programma dat PDF's maakt (LibreOffice), dus de brieven gaan als "
               "Word-bestand (.docx) mee. Ze gaan gewoon de deur uit.",
               "Vraag uw IT-beheerder LibreOffice te installeren (scripts/install.sh doet dat)."),
        "en": ("Letters go out as Word files instead of PDF",
               "The program that makes PDFs (LibreOffice) is missing on the server, so letters are attached as Word "
               "files (.docx). They still go out.",
               "Ask your IT administrator to install LibreOffice (scripts/install.sh does it)."),
        "fr": ("Les lettres partent en fichier Word au lieu de PDF",
               "Le programme qui crée les PDF (LibreOffice) manque sur le serveur : les lettres sont jointes en "
               "fichier Word (.docx). Elles partent quand même.",
               "Demandez à votre administrateur informatique d'installer LibreOffice (scripts/install.sh le fait)."),
        "de": ("Schreiben gehen als Word-Datei statt als PDF hinaus",
               "Auf dem Server fehlt das Programm, das PDFs erzeugt (LibreOffice), daher werden die Schreiben als "
               "Word-Datei (.docx) angehängt. Sie werden trotzdem verschickt.",
               "Bitten Sie Ihre IT-Administration, LibreOffice zu installieren (scripts/install.sh erledigt das)."),
    }
    title, message, action = texts[_language(language)]
    return Notice("no-libreoffice", title, message, action)


def inbound_failed(language: str, inbound_id: int, subject: str | None, sender: str | None) -> Notice:
    """A message of the business's that our code could not process, even after retries (a bug of ours)."""
    what = f"“{subject or '-'}” ({sender or '-'})"
    texts = {
        "nl": ("Een e-mail kon niet worden verwerkt",
               f"Uw e-mail {what} liep bij ons meerdere keren vast. Dat ligt aan ons, niet aan u; de e-mail is "
               "bewaard en staat in de controlelijst.", "U hoeft niets te doen; wij kijken ernaar. Stuur de "
               "factuur gerust opnieuw als het dringend is."),
        "en": ("An e-mail could not be processed",
               f"Your e-mail {what} failed on our side several times. The fault is ours, not yours; the e-mail is "
               "kept and listed for review.", "Nothing to do; we are looking into it. Resend the invoice if it is "
               "urgent."),
        "fr": ("Un e-mail n'a pas pu être traité",
               f"Votre e-mail {what} a échoué plusieurs fois chez nous. L'erreur est de notre côté ; l'e-mail est "
               "conservé et figure dans la liste à vérifier.", "Rien à faire ; nous nous en occupons. Renvoyez la "
               "facture si c'est urgent."),
        "de": ("Eine E-Mail konnte nicht verarbeitet werden",
               f"Ihre E-Mail {what} ist bei uns mehrmals gescheitert. Der Fehler liegt bei uns; die E-Mail ist "
               "gespeichert und steht in der Prüfliste.", "Sie müssen nichts tun; wir kümmern uns darum. Senden "
               "Sie die Rechnung erneut, wenn es eilt."),
    }
    title, message, action = texts[_language(language)]
    return Notice(f"inbound-failed.m{inbound_id}", title, message, action, "GET /review")


_COMBINED = {
    "nl": ("{n} meldingen: {title}", "In het afgelopen uur gebeurde dit {n} keer:", "… en nog {more}."),
    "en": ("{n} notices: {title}", "This happened {n} times in the last hour:", "… and {more} more."),
    "fr": ("{n} avis : {title}", "Ceci s'est produit {n} fois au cours de la dernière heure :", "… et {more} de plus."),
    "de": ("{n} Hinweise: {title}", "Dies geschah {n}-mal in der letzten Stunde:", "… und {more} weitere."),
}
# One notice lists at most this many items by name; the rest are counted.
MAX_LISTED = 250


def combined_notice(language: str, key: str, titles: list[str], lines: list[str], action: str | None,
                    api: str | None) -> Notice:
    """Several notices of one kind in one: the first title, the count, and one line per item."""
    title, intro, more = _COMBINED[_language(language)]
    n = len(lines)
    listed = [f"- {line}" for line in lines[:MAX_LISTED]]
    if n > MAX_LISTED:
        listed.append(more.format(more=n - MAX_LISTED))
    return Notice(key, title.format(n=n, title=titles[0] if titles else ""), "\n".join([intro.format(n=n), *listed]),
                  action, api)


def invoice_problem_words(language: str) -> tuple[str, str]:
    """Title and action of a notice listing several invoice files that could not be used."""
    return {
        "nl": ("Facturen konden niet worden gelezen", "Herstel de genoemde facturen en stuur ze opnieuw."),
        "en": ("Invoices could not be read", "Correct the invoices listed and send them again."),
        "fr": ("Des factures n'ont pas pu être lues", "Corrigez les factures indiquées et renvoyez-les."),
        "de": ("Rechnungen konnten nicht gelesen werden", "Korrigieren Sie die genannten Rechnungen und senden "
               "Sie sie erneut."),
    }[_language(language)]
