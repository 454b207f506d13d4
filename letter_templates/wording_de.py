"""Wording of every built-in letter in German (for German invoices and East Belgium), formal "Sie"."""

from __future__ import annotations

from letter_templates.wording_common import HISTORY, INSTALMENTS, INVOICES, PAID, PAY, PROBLEMS, Letter, general, letter
from letter_templates.wording_law import announce, claim, received

ONE = ("{% if invoices|length == 1 %}Rechnung {{ invoices[0].number }}{% else %}{{ invoices|length }} Rechnungen"
       "{% endif %}")
BELOW = "{% if invoices|length == 1 %}die unten stehende Rechnung{% else %}die unten stehenden Rechnungen{% endif %}"
GREET = ("{% if debtor.contact_name and not letter.to_general %}Guten Tag {{ debtor.contact_name }},"
         "{% else %}Sehr geehrte Damen und Herren,{% endif %}")
DEADLINE = ("{% if letter.deadline %}bis spätestens {{ letter.deadline|date }}{% else %}innerhalb von sieben Tagen"
            "{% endif %}")
PAY_DE = ("Bitte überweisen Sie {kind} {{{{ claim.total|money(currency) }}}} {when} auf das Konto "
          "{{{{ payment.iban }}}} von {{{{ business.name }}}}, Verwendungszweck {{{{ payment.reference }}}}.")
OPEN = "den offenen Betrag von"
ASKED = "{% if claim.costs_due %}diesen Betrag von{% else %}den offenen Betrag von{% endif %}"
BY = "bis spätestens {{ letter.deadline|date }}"
GENERAL = ("Wir senden dieses Schreiben an die allgemeine Adresse von {{ debtor.name }}, mit "
           "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}unserer Kontaktperson{% endif %} in Kopie, "
           "da unsere bisherigen Nachrichten unbeantwortet geblieben sind. Möglicherweise ist unsere Kontaktperson "
           "nicht mehr in Ihrem Unternehmen tätig. Bitte leiten Sie dieses Schreiben an die Person weiter, die für "
           "die Bezahlung von Rechnungen zuständig ist.")
FULLY = "{% if received.amount %}vollständig {% endif %}"
BE_TERM = ("{% if letter.channel == 'letter' %}ab dem dritten Werktag nach Versand dieses Briefes"
           "{% else %}ab dem Tag nach Versand dieser E-Mail{% endif %}")
REPLY = "Stimmt etwas nicht, antworten Sie einfach auf diese Nachricht; wir finden gemeinsam eine Lösung."

GERMAN: dict[str, Letter] = {
    "arrival_check": letter(
        f"Gut angekommen? {ONE} – {{{{ business.name }}}}", f"Ihre {ONE}", GREET,
        f"Vor einigen Tagen haben wir Ihnen {BELOW} geschickt. Wir möchten sichergehen, dass sie die richtige "
        "Person erreicht hat.",
        INVOICES,
        "Benötigen Sie eine Bestellnummer, eine andere Rechnungsadresse oder einen anderen Ansprechpartner für "
        "Rechnungen? Antworten Sie einfach auf diese Nachricht, wir ändern es sofort.",
        PAY_DE.format(kind="den Betrag von", when="vor dem Fälligkeitsdatum"), PAY),
    "courtesy": letter(
        f"Alles erhalten? Ihre {ONE} von {{{{ business.name }}}}", f"Ihre {ONE}", GREET,
        f"Die Zahlungsfrist für {BELOW} läuft bald ab. Wir möchten kurz nachfragen, ob alles gut bei Ihnen "
        "angekommen und in Ordnung ist.",
        INVOICES, PAY_DE.format(kind="den Betrag von", when="vor dem Fälligkeitsdatum"),
        "Fehlt Ihnen eine Angabe, etwa eine Bestellnummer? Antworten Sie auf diese Nachricht, dann klären wir das "
        "sofort.", PAY),
    "reminder": letter(
        f"Zahlungserinnerung: {ONE} – {{{{ business.name }}}}", f"Zahlungserinnerung: {ONE}", GREET,
        f"Laut unserer Buchhaltung ist die Zahlung für {BELOW} noch nicht {FULLY}bei uns eingegangen. Vielleicht "
        "ist das Ihrer Aufmerksamkeit entgangen.",
        INVOICES, *received("de"), PAY_DE.format(kind=OPEN, when=DEADLINE),
        "Falls Sie bereits bezahlt haben, betrachten Sie diese Erinnerung bitte als gegenstandslos. " + REPLY, PAY),
    "firm_reminder": letter(
        f"Mahnung: {ONE} – {{{{ business.name }}}}", f"Mahnung: {ONE}", GREET,
        f"Trotz unserer Erinnerung ist die Zahlung für {BELOW} noch immer nicht {FULLY}eingegangen. Die "
        "Zahlungsfrist ist abgelaufen.",
        INVOICES, *received("de"), PAY_DE.format(kind=OPEN, when=DEADLINE), *announce("de"),
        "Können Sie derzeit nicht zahlen, oder sind Sie mit der Rechnung nicht einverstanden? Antworten Sie auf "
        "diese Nachricht, dann suchen wir gemeinsam nach einer Lösung.", PAY),
    "fourteen_day_letter": letter(
        "{% if claim.country == 'BE' %}Erste Zahlungserinnerung{% else %}Mahnung mit Inkassokosten{% endif %}: "
        + ONE + " – {{ business.name }}",
        "{% if claim.country == 'BE' %}Erste Zahlungserinnerung: " + ONE + "{% else %}Mahnung: " + ONE
        + " (Vierzehn-Tage-Frist){% endif %}",
        GREET,
        "{% if claim.country == 'BE' %}Laut unserer Buchhaltung haben Sie " + BELOW + " noch nicht bezahlt; das "
        "Fälligkeitsdatum ist überschritten. Diese erste Zahlungserinnerung ist kostenlos.{% else %}Trotz unserer "
        "Erinnerung haben Sie " + BELOW + " noch nicht bezahlt. Die Zahlungsfrist ist abgelaufen; Sie sind damit in "
        "Verzug.{% endif %}",
        "{%p if letter.copy %}",
            "Dies ist eine Kopie per E-Mail des Briefes, den wir Ihnen heute per Post gesandt haben. Die unten "
            "genannte Frist läuft ab diesem Brief.",
            "{%p endif %}",
            INVOICES, *received("de"),
        "{%p if promise.date %}",
        "Sie hatten uns eine Zahlung bis spätestens {{ promise.date|date }} zugesagt; diese Zahlung ist nicht "
        "eingegangen.",
        "{%p endif %}",
        "{%p if claim.country == 'BE' %}",
        "Sie können den offenen Betrag von {{ total_open|money(currency) }} kostenfrei innerhalb von vierzehn "
        f"Kalendertagen {BE_TERM} bezahlen, also bis spätestens {{{{ letter.deadline|date }}}}. Bitte überweisen "
        "Sie ihn auf das Konto {{ payment.iban }} von {{ business.name }}, Verwendungszweck {{ payment.reference }}.",
        "Zahlen Sie nicht innerhalb dieser Frist, können wir Ihnen zusätzlich zum offenen Betrag eine pauschale "
        "Entschädigung von {{ costs.amount|money(currency) }} sowie Verzugszinsen zum gesetzlichen Zinssatz "
        "(derzeit {{ claim.interest_rate|percent }} jährlich) ab dem Ende der Frist berechnen (Buch XIX des "
        "belgischen Wirtschaftsgesetzbuchs).",
        "{%p else %}",
        "Wir geben Ihnen die Gelegenheit, den offenen Betrag von {{ total_open|money(currency) }} innerhalb von "
        "vierzehn Tagen ab dem Tag nach Zugang dieses Schreibens zu bezahlen. Bitte überweisen Sie ihn auf das "
        "Konto {{ payment.iban }} von {{ business.name }}, Verwendungszweck {{ payment.reference }}.",
        "Zahlen Sie nicht innerhalb dieser Frist, berechnen wir Ihnen außergerichtliche Inkassokosten von "
        "{{ costs.amount|money(currency) }} nach der niederländischen Gebührenordnung (Besluit vergoeding voor "
        "buitengerechtelijke incassokosten, Artikel 6:96 des niederländischen Bürgerlichen Gesetzbuchs) sowie die "
        "gesetzlichen Zinsen (Artikel 6:119 des niederländischen Bürgerlichen Gesetzbuchs) ab Fälligkeit"
        "{% if costs.interest %} (bisher {{ costs.interest|money(currency) }}){% endif %}.",
        "{%p endif %}",
        "Können Sie nicht auf einmal zahlen, oder sind Sie mit der Rechnung nicht einverstanden? Antworten Sie "
        "auf dieses Schreiben; wir suchen gemeinsam eine Lösung, etwa eine Ratenzahlung.", PAY),
    "last_reminder": letter(
        f"Noch immer offen: {ONE} – {{{{ business.name }}}}", f"Mahnung: {ONE}", GREET, *general(GENERAL),
        "{% if invoices|length == 1 %}Die unten stehende Rechnung ist{% else %}Die unten stehenden Rechnungen "
        f"sind{{% endif %}} noch immer nicht {FULLY}bezahlt:",
        INVOICES, *received("de"), *claim("de"), PAY_DE.format(kind=ASKED, when=BY),
        "Haben wir bis zum {{ letter.deadline|date }} weder eine Zahlung noch eine Antwort erhalten, senden wir "
        "Ihnen eine letzte Mahnung; danach übergeben wir die Forderung.", REPLY, PAY),
    "final_notice": letter(
        f"Letzte Mahnung: {ONE} – {{{{ business.name }}}}", f"Letzte Mahnung: {ONE}", GREET, *general(GENERAL),
        f"Trotz aller unserer Nachrichten ist {BELOW} nicht {FULLY}bezahlt. Die Fälligkeitsdaten stehen in der "
        "Tabelle; die Zahlungsfrist ist für jede Rechnung abgelaufen.",
        INVOICES, *received("de"), *claim("de"), "Unsere bisherigen Kontakte mit Ihnen:", HISTORY,
        PAY_DE.format(kind=ASKED, when=BY),
        "Ist Ihre Zahlung am {{ letter.deadline|date }} nicht eingegangen, übergeben wir die Forderung ohne "
        "weitere Ankündigung einem Inkassobüro oder einer Anwaltskanzlei.", PAY),
    "promise_broken": letter(
        f"Ihr Zahlungsversprechen: {ONE} – {{{{ business.name }}}}", f"Zahlungsversprechen nicht eingehalten: {ONE}",
        GREET, *general(GENERAL),
        f"Sie hatten uns zugesagt, {BELOW} bis spätestens {{{{ promise.date|date }}}} zu bezahlen. Bis heute ist "
        f"die Zahlung nicht {FULLY}eingegangen.",
        INVOICES, *received("de"), *claim("de"), PAY_DE.format(kind=ASKED, when=BY),
        "{%p if promise.count > 1 %}",
        "Sie haben uns schon früher eine Zahlung zugesagt. Bitte senden Sie uns daher eine Kopie des "
        "Überweisungsauftrags.",
        "{%p endif %}",
        "Ist etwas dazwischengekommen? Antworten Sie auf diese Nachricht; wir finden gemeinsam eine Lösung.", PAY),
    "payment_plan_confirmation": letter(
        "Bestätigung Ihrer Ratenzahlung – {{ business.name }}", f"Ratenzahlung: {ONE}", GREET,
        "Hiermit bestätigen wir die vereinbarte Ratenzahlung. Sie zahlen {{ plan.total|money(currency) }} in "
        "{{ plan.instalments|length }} Raten:",
        INSTALMENTS,
        "Bitte überweisen Sie jede Rate auf das Konto {{ payment.iban }} von {{ business.name }}, "
        "Verwendungszweck {{ payment.reference }}. Die Vereinbarung gilt für:",
        INVOICES,
        "Solange die Raten pünktlich eingehen, erhalten Sie keine Mahnungen. Wird eine Rate nicht rechtzeitig "
        "bezahlt, endet die Vereinbarung und der gesamte Restbetrag ist sofort fällig."),
    "instalment_reminder": letter(
        "Erinnerung: Rate {{ instalment.number }} Ihrer Ratenzahlung – {{ business.name }}",
        "Rate {{ instalment.number }} Ihrer Ratenzahlung", GREET,
        "Rate {{ instalment.number }} Ihrer Ratenzahlung, {{ instalment.amount|money(currency) }}, war bis "
        "spätestens {{ instalment.due_date|date }} zu zahlen. Sie ist noch nicht eingegangen. Ihre Vereinbarung:",
        INSTALMENTS,
        f"Bitte überweisen Sie die Rate {DEADLINE} auf das Konto {{{{ payment.iban }}}}, Verwendungszweck "
        "{{ payment.reference }}; dann läuft die Vereinbarung einfach weiter.", PAY),
    "invoice_copy": letter(
        f"Kopie: {ONE} – {{{{ business.name }}}}", f"Kopie: {ONE}", GREET,
        f"Wie gewünscht senden wir Ihnen eine Kopie; Sie finden {BELOW} im Anhang dieser Nachricht.",
        INVOICES, PAY_DE.format(kind=OPEN, when="so bald wie möglich"),
        "Benötigen Sie noch etwas, um die Zahlung zu bearbeiten? Antworten Sie einfach auf diese Nachricht.", PAY),
    "thank_you": letter(
        "Vielen Dank für Ihre Zahlung – {{ business.name }}", f"Zahlung erhalten: {ONE}", GREET,
        f"Vielen Dank für die Bezahlung; den Betrag für {BELOW} haben wir vollständig erhalten.",
        PAID, "Wir schätzen Ihre pünktliche Zahlung und freuen uns auf die weitere Zusammenarbeit."),
    "business_notice": letter(
        "Handlungsbedarf: {{ notice.title }}", "{{ notice.title }}", "Guten Tag,", "{{ notice.message }}",
        "{%p if notice.action %}", "Was Sie tun können: {{ notice.action }}", "{%p endif %}",
        "Diese Nachricht wurde automatisch von Ihrem Forderungsmanagement-Dienst gesendet.",
        "{%p if notice.api %}", "Für die Automatisierung: {{ notice.api }}.", "{%p endif %}",
        addressee="business", regards="Mit freundlichen Grüßen", signature="Ihr Forderungsmanagement-Dienst"),
    "invoice_problem": letter(
        "Rechnung nicht verarbeitet: {{ document.filename }}", "Rechnung nicht verarbeitet: {{ document.filename }}",
        GREET,
        "Am {{ document.received_at|date }} erhielten wir{% if document.sender %} von {{ document.sender }}"
        "{% endif %} die Datei {{ document.filename }}{% if document.subject %} (E-Mail „{{ document.subject }}“)"
        "{% endif %}. Wir konnten diese Rechnung nicht vollständig verarbeiten. Bis das geklärt ist, verfolgen wir "
        "sie nicht: Es gehen keine Mahnungen hinaus.",
        "Was fehlt oder nicht stimmt:", PROBLEMS,
        "Bitte ergänzen Sie die Rechnung und senden Sie sie uns erneut in Blindkopie (BCC). Ein PDF mit echtem "
        "Text (kein Scan) oder mit beigefügter UBL-Datei lesen wir am zuverlässigsten.",
        addressee="business"),
}
