"""Wording of every built-in letter in French, as written in Belgium (the French-speaking debtors we serve are
mostly Belgian): "communication" for the payment reference, "Madame, Monsieur," as the formal greeting."""

from __future__ import annotations

from letter_templates.wording_common import HISTORY, INSTALMENTS, INVOICES, PAID, PAY, PROBLEMS, Letter, general, letter
from letter_templates.wording_law import announce, claim, received

ONE = ("{% if invoices|length == 1 %}facture {{ invoices[0].number }}{% else %}{{ invoices|length }} factures"
       "{% endif %}")
ONE_CAP = ("{% if invoices|length == 1 %}Facture {{ invoices[0].number }}{% else %}{{ invoices|length }} factures"
           "{% endif %}")
BELOW = "{% if invoices|length == 1 %}la facture ci-dessous{% else %}les factures ci-dessous{% endif %}"
GREET = "Madame, Monsieur,"
DEADLINE = ("{% if letter.deadline %}au plus tard le {{ letter.deadline|date }}{% else %}dans les sept jours"
            "{% endif %}")
PAY_FR = ("Nous vous prions de virer {kind} {{{{ claim.total|money(currency) }}}} {when} sur le compte "
          "{{{{ payment.iban }}}} au nom de {{{{ business.name }}}}, avec la communication "
          "{{{{ payment.reference }}}}.")
OPEN = "le montant ouvert de"
ASKED = "{% if claim.costs_due %}ce montant de{% else %}le montant ouvert de{% endif %}"
GENERAL = ("Nous adressons ce courrier à l'adresse générale de {{ debtor.name }}, avec "
           "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}notre personne de contact{% endif %} en "
           "copie, car nos messages précédents sont restés sans réponse. Il se peut que notre interlocuteur ne fasse "
           "plus partie de votre organisation. Pourriez-vous transmettre ce courrier à la personne chargée du "
           "paiement des factures ?")
FULLY = "{% if received.amount %}intégralement {% endif %}"
BE_TERM = ("{% if letter.channel == 'letter' %}du troisième jour ouvrable suivant l'envoi de ce courrier"
           "{% else %}du lendemain de l'envoi de cet e-mail{% endif %}")


def unpaid(adverb: str, capital: bool = False) -> str:
    """"la facture ci-dessous n'a pas encore été payée", in the singular or the plural."""
    one, many = ("La", "Les") if capital else ("la", "les")
    return (f"{{% if invoices|length == 1 %}}{one} facture ci-dessous n'a {adverb} été {FULLY}payée"
            f"{{% else %}}{many} factures ci-dessous n'ont {adverb} été {FULLY}payées{{% endif %}}")


REPLY = "Si quelque chose ne va pas, répondez simplement à ce message ; nous chercherons une solution ensemble."

FRENCH: dict[str, Letter] = {
    "arrival_check": letter(
        f"Bien arrivée ? {ONE_CAP} – {{{{ business.name }}}}", ONE_CAP, GREET,
        f"Il y a quelques jours, nous vous avons envoyé {BELOW}. Nous souhaitons nous assurer qu'elle est bien "
        "parvenue à la bonne personne.",
        INVOICES,
        "Vous faut-il un numéro de bon de commande, une autre adresse de facturation ou un autre contact pour "
        "les factures ? Répondez simplement à ce message et nous l'adapterons immédiatement.",
        PAY_FR.format(kind="le montant de", when="avant l'échéance"), PAY),
    "courtesy": letter(
        f"Bien reçu ? {ONE_CAP} – {{{{ business.name }}}}", ONE_CAP, GREET,
        f"Le délai de paiement de {BELOW} arrive bientôt à échéance. Nous voulions vérifier que tout vous est "
        "bien parvenu et vous convient.",
        INVOICES, PAY_FR.format(kind="le montant de", when="avant l'échéance"),
        "Une information vous manque (par exemple un numéro de bon de commande) ? Répondez à ce message et nous "
        "réglerons cela tout de suite.", PAY),
    "reminder": letter(
        f"Rappel : {ONE} – {{{{ business.name }}}}", f"Rappel : {ONE}", GREET,
        f"Selon notre comptabilité, {unpaid('pas encore')}. Cela vous a peut-être échappé.",
        INVOICES, *received("fr"), PAY_FR.format(kind=OPEN, when=DEADLINE),
        "Si vous avez déjà payé, veuillez ne pas tenir compte de ce rappel. " + REPLY, PAY),
    "firm_reminder": letter(
        f"Mise en demeure : {ONE} – {{{{ business.name }}}}", f"Mise en demeure : {ONE}", GREET,
        f"Malgré notre rappel, {unpaid('toujours pas')}. Le délai de paiement est dépassé.",
        INVOICES, *received("fr"), PAY_FR.format(kind=OPEN, when=DEADLINE), *announce("fr"),
        "Ne pouvez-vous pas payer pour l'instant, ou contestez-vous la facture ? Répondez à ce message ; nous "
        "chercherons une solution ensemble.", PAY),
    "fourteen_day_letter": letter(
        "{% if claim.country == 'BE' %}Premier rappel{% else %}Mise en demeure avec frais de recouvrement{% endif %}"
        f" : {ONE} – {{{{ business.name }}}}",
        "{% if claim.country == 'BE' %}Premier rappel : " + ONE + "{% else %}Mise en demeure : " + ONE
        + " (délai de quatorze jours){% endif %}",
        GREET,
        "{% if claim.country == 'BE' %}Selon notre comptabilité, " + unpaid("pas encore") + " ; l'échéance est "
        "dépassée. Ce premier rappel est gratuit.{% else %}Malgré notre rappel, " + unpaid("pas encore")
        + ". Le délai de paiement est dépassé ; vous êtes donc en défaut de paiement.{% endif %}",
        "{%p if letter.copy %}",
            "Ceci est une copie par e-mail du courrier que nous vous avons envoyé aujourd'hui par la poste. Le "
            "délai ci-dessous court à partir de ce courrier.",
            "{%p endif %}",
            INVOICES, *received("fr"),
        "{%p if promise.date %}",
        "Vous nous aviez annoncé un paiement au plus tard le {{ promise.date|date }} ; nous ne l'avons pas reçu.",
        "{%p endif %}",
        "{%p if claim.country == 'BE' %}",
        "Vous pouvez payer le montant ouvert de {{ total_open|money(currency) }} sans frais dans un délai de "
        f"quatorze jours calendrier à compter {BE_TERM}, soit au plus tard le {{{{ letter.deadline|date }}}}. "
        "Veuillez le virer sur le compte {{ payment.iban }} au nom de {{ business.name }}, avec la communication "
        "{{ payment.reference }}.",
        "À défaut de paiement dans ce délai, nous pourrons vous réclamer, en plus du montant ouvert, une "
        "indemnité forfaitaire de {{ costs.amount|money(currency) }} ainsi que des intérêts de retard au taux "
        "d'intérêt légal (actuellement {{ claim.interest_rate|percent }} par an) à compter de la fin de ce délai "
        "(livre XIX du Code de droit économique).",
        "{%p else %}",
        "Nous vous donnons la possibilité de payer le montant ouvert de {{ total_open|money(currency) }} dans un "
        "délai de quatorze jours à compter du lendemain de la réception de ce courrier. Veuillez le virer sur le "
        "compte {{ payment.iban }} au nom de {{ business.name }}, avec la communication {{ payment.reference }}.",
        "À défaut de paiement dans ce délai, nous vous porterons en compte des frais de recouvrement "
        "extrajudiciaires de {{ costs.amount|money(currency) }}, calculés selon le barème néerlandais (Besluit "
        "vergoeding voor buitengerechtelijke incassokosten, article 6:96 du Code civil néerlandais), ainsi que "
        "l'intérêt légal (article 6:119 du Code civil néerlandais) à partir de l'échéance"
        "{% if costs.interest %} ({{ costs.interest|money(currency) }} à ce jour){% endif %}.",
        "{%p endif %}",
        "Vous ne pouvez pas payer en une fois, ou vous contestez la facture ? Répondez à ce courrier ; nous "
        "chercherons ensemble une solution, par exemple un plan de paiement.", PAY),
    "last_reminder": letter(
        f"Toujours impayé : {ONE} – {{{{ business.name }}}}", f"Rappel : {ONE}", GREET, *general(GENERAL),
        unpaid("toujours pas", capital=True) + " :",
        INVOICES, *received("fr"), *claim("fr"), PAY_FR.format(kind=ASKED, when="au plus tard le "
                                                                "{{ letter.deadline|date }}"),
        "Si nous n'avons reçu ni paiement ni réponse le {{ letter.deadline|date }}, nous vous adresserons une "
        "dernière mise en demeure, après quoi nous confierons la créance à un tiers.", REPLY, PAY),
    "final_notice": letter(
        f"Dernière mise en demeure : {ONE} – {{{{ business.name }}}}", f"Dernière mise en demeure : {ONE}", GREET,
        *general(GENERAL),
        f"Malgré tous nos messages, {unpaid('pas')}. Les échéances figurent dans le tableau ; le "
        "délai de paiement est dépassé pour chaque facture.",
        INVOICES, *received("fr"), *claim("fr"), "Voici tous nos contacts avec vous jusqu'à présent :", HISTORY,
        PAY_FR.format(kind=ASKED, when="au plus tard le {{ letter.deadline|date }}"),
        "Si nous n'avons pas reçu votre paiement le {{ letter.deadline|date }}, nous transmettrons la créance, "
        "sans autre avis, à une société de recouvrement ou à un avocat.", PAY),
    "promise_broken": letter(
        f"Votre promesse de paiement : {ONE} – {{{{ business.name }}}}", f"Promesse de paiement non tenue : {ONE}",
        GREET, *general(GENERAL),
        f"Vous nous aviez annoncé le paiement de {BELOW} au plus tard le {{{{ promise.date|date }}}}. À ce jour, "
        f"nous ne l'avons pas {FULLY}reçu.",
        INVOICES, *received("fr"), *claim("fr"), PAY_FR.format(kind=ASKED, when="au plus tard le "
                                                               "{{ letter.deadline|date }}"),
        "{%p if promise.count > 1 %}",
        "Comme vous nous aviez déjà promis un paiement, merci de nous envoyer une copie de l'ordre de virement.",
        "{%p endif %}",
        "Un imprévu ? Répondez à ce message ; nous chercherons une solution ensemble.", PAY),
    "payment_plan_confirmation": letter(
        "Confirmation de votre plan de paiement – {{ business.name }}", f"Plan de paiement : {ONE}", GREET,
        "Nous vous confirmons le plan de paiement convenu. Vous payez {{ plan.total|money(currency) }} en "
        "{{ plan.instalments|length }} échéances :",
        INSTALMENTS,
        "Veuillez virer chaque échéance sur le compte {{ payment.iban }} au nom de {{ business.name }}, avec la "
        "communication {{ payment.reference }}. Le plan concerne :",
        INVOICES,
        "Tant que les échéances sont payées à temps, vous ne recevrez pas de rappel. Si une échéance n'est pas "
        "payée à temps, le plan prend fin et la totalité du solde devient immédiatement exigible."),
    "instalment_reminder": letter(
        "Rappel : échéance {{ instalment.number }} de votre plan de paiement – {{ business.name }}",
        "Échéance {{ instalment.number }} de votre plan de paiement", GREET,
        "L'échéance {{ instalment.number }} de votre plan de paiement, {{ instalment.amount|money(currency) }}, "
        "devait être payée au plus tard le {{ instalment.due_date|date }}. Nous ne l'avons pas encore reçue. "
        "Votre plan :",
        INSTALMENTS,
        f"Veuillez virer cette échéance {DEADLINE} sur le compte {{{{ payment.iban }}}}, avec la communication "
        "{{ payment.reference }} ; le plan se poursuit alors normalement.", PAY),
    "invoice_copy": letter(
        f"Copie : {ONE} – {{{{ business.name }}}}", f"Copie : {ONE}", GREET,
        f"Comme demandé, vous trouverez en annexe une copie de {BELOW}.",
        INVOICES, PAY_FR.format(kind=OPEN, when="dès que possible"),
        "Vous faut-il autre chose pour traiter le paiement ? Répondez simplement à ce message.", PAY),
    "thank_you": letter(
        "Merci pour votre paiement – {{ business.name }}", f"Paiement reçu : {ONE}", GREET,
        f"Nous vous remercions pour le paiement de {BELOW}, que nous avons bien reçu.",
        PAID, "Nous apprécions votre ponctualité et nous réjouissons de poursuivre notre collaboration."),
    "business_notice": letter(
        "Action requise : {{ notice.title }}", "{{ notice.title }}", "Bonjour,", "{{ notice.message }}",
        "{%p if notice.action %}", "Ce que vous pouvez faire : {{ notice.action }}", "{%p endif %}",
        "Ce message a été envoyé automatiquement par votre service de suivi des factures.",
        "{%p if notice.api %}", "Pour qui automatise : {{ notice.api }}.", "{%p endif %}",
        addressee="business", regards="Cordialement,", signature="Le service de suivi des factures"),
    "invoice_problem": letter(
        "Facture non traitée : {{ document.filename }}", "Facture non traitée : {{ document.filename }}", GREET,
        "Le {{ document.received_at|date }}, nous avons reçu{% if document.sender %} de {{ document.sender }}"
        "{% endif %} le fichier {{ document.filename }}{% if document.subject %} (e-mail « {{ document.subject }} »)"
        "{% endif %}. Nous n'avons pas pu traiter entièrement cette facture. Tant que ce n'est pas résolu, nous ne "
        "la suivons pas : aucun rappel n'est envoyé.",
        "Ce qui manque ou ne va pas :", PROBLEMS,
        "Pourriez-vous compléter la facture et nous la renvoyer en copie cachée (BCC) ? Un PDF contenant du vrai "
        "texte (pas un scan), ou accompagné d'un fichier UBL, est ce que nous lisons le plus sûrement.",
        addressee="business"),
}
