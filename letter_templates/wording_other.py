"""Wording of the letters outside the plain ladder: 14-day letter, final notice, plans, copies, thanks, notices."""

from __future__ import annotations

from letter_templates.wording_common import (
    BY_DEADLINE,
    BY_DEADLINE_EN_FIXED,
    DEAR_EN,
    DEAR_NL,
    FACTUUR,
    HISTORY,
    INSTALMENTS,
    INVOICE,
    INVOICES,
    ONE_OR_MORE_EN,
    ONE_OR_MORE_NL,
    PAID,
    PAY,
    PAY_EN,
    PAY_NL,
    PROBLEMS,
    Letter,
    letter,
)

# The exact wording domain.md calls safe: a term stated any other way voids the collection costs (6:96 lid 6
# BW). The letter therefore prints no pay-by date of its own: the term runs from the day after delivery.
FOURTEEN_DAYS_NL = "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd"
FOURTEEN_DAYS_EN = "within fourteen days from the day after this letter has been delivered to you"
COSTS_NL = "{{ costs.amount|money(currency) }}"

OTHER: dict[str, dict[str, Letter]] = {
    "fourteen_day_letter": {
        "nl": letter(
            f"Aanmaning met incassokosten: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Aanmaning {ONE_OR_MORE_NL} (veertiendagenbrief)",
            DEAR_NL,
            f"Ondanks onze eerdere herinnering heeft u onderstaande {FACTUUR} nog niet betaald. De "
            "betaaltermijn is verstreken; u bent daardoor in verzuim.",
            INVOICES,
            f"Wij geven u de gelegenheid het openstaande bedrag van {{{{ total_open|money(currency) }}}} alsnog "
            f"te betalen {FOURTEEN_DAYS_NL}. Maak het bedrag over op rekening {{{{ payment.iban }}}} ten name "
            "van {{ business.name }}, onder vermelding van {{ payment.reference }}.",
            "Betaalt u niet binnen deze termijn, dan brengen wij buitengerechtelijke incassokosten bij u in "
            f"rekening. Die bedragen {COSTS_NL}, berekend volgens het Besluit vergoeding voor "
            "buitengerechtelijke incassokosten. Ook kunnen wij dan de wettelijke rente vanaf de vervaldatum "
            "vorderen{% if costs.interest %} (tot nu toe {{ costs.interest|money(currency) }}){% endif %}.",
            "Kunt u niet in één keer betalen, of bent u het niet eens met de factuur? Reageer dan op deze "
            "brief; dan zoeken wij samen naar een oplossing, bijvoorbeeld een betalingsregeling.",
            PAY,
        ),
        "en": letter(
            f"Notice of collection costs: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Formal notice: {ONE_OR_MORE_EN} (fourteen-day letter)",
            DEAR_EN,
            f"Despite our earlier reminder you have not yet paid the {INVOICE} below. The payment term has "
            "expired, so you are now in default.",
            INVOICES,
            "We give you the opportunity to pay the open amount of {{ total_open|money(currency) }} "
            f"{FOURTEEN_DAYS_EN}. Please transfer it to account {{{{ payment.iban }}}} in the name of "
            "{{ business.name }}, quoting {{ payment.reference }}.",
            "If you do not pay within this term, we will charge you extrajudicial collection costs of "
            "{{ costs.amount|money(currency) }}, calculated under the Dutch Extrajudicial Collection Costs "
            "Decree. We may then also claim statutory interest from the due date"
            "{% if costs.interest %} ({{ costs.interest|money(currency) }} so far){% endif %}.",
            "If you cannot pay in one go, or disagree with the invoice, please reply to this letter so we can "
            "find a solution together, such as a payment plan.",
            PAY,
        ),
    },
    "final_notice": {
        "nl": letter(
            f"Laatste sommatie: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Laatste sommatie {ONE_OR_MORE_NL}",
            "Geachte heer, mevrouw,",
            f"Ondanks al onze berichten heeft {{{{ debtor.name }}}} onderstaande {FACTUUR} niet betaald. De "
            "vervaldata staan in de tabel; de betaaltermijn is voor elke factuur verstreken.",
            INVOICES,
            "Zo hebben wij tot nu toe contact met u gehad:",
            HISTORY,
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE),
            "Hebben wij op {{ letter.deadline|date }} geen betaling ontvangen, dan dragen wij de vordering "
            "zonder verdere aankondiging over aan een incassobureau of advocaat. De wettelijke rente en de "
            "buitengerechtelijke incassokosten komen dan voor uw rekening.",
            PAY,
            addressee="finance",
        ),
        "en": letter(
            f"Final notice: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Final notice: {ONE_OR_MORE_EN}",
            "Dear Sir or Madam,",
            f"Despite all our messages, {{{{ debtor.name }}}} has not paid the {INVOICE} below. The due dates "
            "are in the table; the payment term has expired for each invoice.",
            INVOICES,
            "This is every contact we have had with you so far:",
            HISTORY,
            PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN_FIXED),
            "If we have not received payment by {{ letter.deadline|date }}, we will hand the claim over to a "
            "collection agency or lawyer without further notice. Statutory interest and extrajudicial "
            "collection costs will then be charged to you.",
            PAY,
            addressee="finance",
        ),
    },
    "payment_plan_confirmation": {
        "nl": letter(
            "Bevestiging betalingsregeling – {{ business.name }}",
            f"Betalingsregeling {ONE_OR_MORE_NL}",
            DEAR_NL,
            "Hierbij bevestigen wij de betalingsregeling die wij met u hebben afgesproken. U betaalt het "
            "bedrag van {{ plan.total|money(currency) }} in {{ plan.instalments|length }} termijnen:",
            INSTALMENTS,
            "Maak elke termijn over op rekening {{ payment.iban }} ten name van {{ business.name }}, onder "
            "vermelding van {{ payment.reference }}. De regeling geldt voor:",
            INVOICES,
            "Zolang de termijnen op tijd binnen zijn, sturen wij u geen herinneringen. Is een termijn niet op "
            "tijd betaald, dan vervalt de regeling en is het hele resterende bedrag direct verschuldigd.",
        ),
        "en": letter(
            "Confirmation of your payment plan – {{ business.name }}",
            f"Payment plan: {ONE_OR_MORE_EN}",
            DEAR_EN,
            "We hereby confirm the payment plan we agreed with you. You will pay "
            "{{ plan.total|money(currency) }} in {{ plan.instalments|length }} instalments:",
            INSTALMENTS,
            "Please transfer each instalment to account {{ payment.iban }} in the name of {{ business.name }}, "
            "quoting {{ payment.reference }}. The plan covers:",
            INVOICES,
            "As long as the instalments arrive on time, we will not send you reminders. If an instalment is "
            "not paid on time, the plan ends and the whole remaining amount is due at once.",
        ),
    },
    "instalment_reminder": {
        "nl": letter(
            "Herinnering: termijn {{ instalment.number }} van uw betalingsregeling – {{ business.name }}",
            "Termijn {{ instalment.number }} van uw betalingsregeling",
            DEAR_NL,
            "Termijn {{ instalment.number }} van uw betalingsregeling, {{ instalment.amount|money(currency) }}, "
            "moest uiterlijk {{ instalment.due_date|date }} betaald zijn. Wij hebben deze betaling nog niet "
            "ontvangen. Uw regeling:",
            INSTALMENTS,
            "Wilt u de termijn {% if letter.deadline %}uiterlijk {{ letter.deadline|date }}{% else %}binnen "
            "zeven dagen{% endif %} overmaken op rekening {{ payment.iban }}, onder vermelding van "
            "{{ payment.reference }}? Dan blijft de regeling gewoon doorlopen.",
            PAY,
        ),
        "en": letter(
            "Reminder: instalment {{ instalment.number }} of your payment plan – {{ business.name }}",
            "Instalment {{ instalment.number }} of your payment plan",
            DEAR_EN,
            "Instalment {{ instalment.number }} of your payment plan, {{ instalment.amount|money(currency) }}, "
            "was due by {{ instalment.due_date|date }}. We have not received it yet. Your plan:",
            INSTALMENTS,
            "Please transfer the instalment {% if letter.deadline %}by {{ letter.deadline|date }}{% else %}"
            "within seven days{% endif %} to account {{ payment.iban }}, quoting {{ payment.reference }}, and "
            "the plan simply continues.",
            PAY,
        ),
    },
    "invoice_copy": {
        "nl": letter(
            f"Kopie van {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Kopie {ONE_OR_MORE_NL}",
            DEAR_NL,
            f"Zoals gevraagd sturen wij u een kopie van onderstaande {FACTUUR}; u vindt "
            "{% if invoices|length == 1 %}de factuur{% else %}de facturen{% endif %} als bijlage bij dit "
            "bericht.",
            INVOICES,
            PAY_NL.format(kind="het openstaande bedrag van", when="zo snel mogelijk"),
            "Heeft u nog iets anders nodig om de betaling te verwerken? Reageer dan op dit bericht.",
            PAY,
        ),
        "en": letter(
            f"Copy of {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Copy of {ONE_OR_MORE_EN}",
            DEAR_EN,
            f"As requested, we are sending you a copy of the {INVOICE} below; you will find "
            "{% if invoices|length == 1 %}it{% else %}them{% endif %} attached to this message.",
            INVOICES,
            PAY_EN.format(kind="the open amount of", when="as soon as possible"),
            "Do you need anything else to process the payment? Just reply to this message.",
            PAY,
        ),
    },
    "thank_you": {
        "nl": letter(
            "Bedankt voor uw betaling – {{ business.name }}",
            f"Betaling {ONE_OR_MORE_NL} ontvangen",
            DEAR_NL,
            f"Hartelijk dank voor uw betaling van onderstaande {FACTUUR}. Wij hebben het bedrag in goede orde "
            "ontvangen.",
            PAID,
            "Wij waarderen het dat u zo netjes betaalt en werken graag weer met u samen.",
        ),
        "en": letter(
            "Thank you for your payment – {{ business.name }}",
            f"Payment for {ONE_OR_MORE_EN} received",
            DEAR_EN,
            f"Thank you for paying the {INVOICE} below. We have received the amount in full.",
            PAID,
            "We appreciate your prompt payment and look forward to working with you again.",
        ),
    },
    "business_notice": {
        "nl": letter(
            "Actie nodig: {{ notice.title }}",
            "{{ notice.title }}",
            "Beste collega's,",
            "{{ notice.message }}",
            "{%p if notice.action %}",
            "Wat u kunt doen: {{ notice.action }}",
            "{%p endif %}",
            "Dit bericht is automatisch verstuurd door uw debiteurenservice.",
            addressee="business",
            regards="Met vriendelijke groet,",
            signature="De debiteurenservice",
        ),
        "en": letter(
            "Action needed: {{ notice.title }}",
            "{{ notice.title }}",
            "Hello,",
            "{{ notice.message }}",
            "{%p if notice.action %}",
            "What you can do: {{ notice.action }}",
            "{%p endif %}",
            "This message was sent automatically by your invoice follow-up service.",
            addressee="business",
            regards="Kind regards,",
            signature="The invoice follow-up service",
        ),
    },
    "invoice_problem": {
        "nl": letter(
            "Factuur niet verwerkt: {{ document.filename }}",
            "Factuur niet verwerkt: {{ document.filename }}",
            "Geachte heer, mevrouw,",
            "Op {{ document.received_at|date }} ontvingen wij{% if document.sender %} van "
            "{{ document.sender }}{% endif %} het bestand {{ document.filename }}"
            "{% if document.subject %} (e-mail „{{ document.subject }}”){% endif %}. Wij konden deze "
            "factuur niet volledig verwerken. Tot dit is opgelost volgen wij haar niet op: er gaan geen "
            "herinneringen uit.",
            "Wat ontbreekt of niet klopt:",
            PROBLEMS,
            "Wilt u de factuur aanvullen en opnieuw in BCC naar ons sturen? Een PDF met echte tekst (niet "
            "gescand), of met een UBL-bestand erbij, lezen wij het betrouwbaarst.",
            addressee="business",
        ),
        "en": letter(
            "Invoice not processed: {{ document.filename }}",
            "Invoice not processed: {{ document.filename }}",
            "Dear Sir or Madam,",
            "On {{ document.received_at|date }} we received{% if document.sender %} from "
            "{{ document.sender }}{% endif %} the file {{ document.filename }}"
            "{% if document.subject %} (e-mail “{{ document.subject }}”){% endif %}. We could not fully "
            "process this invoice. Until this is resolved we do not follow it up: no reminders go out.",
            "What is missing or wrong:",
            PROBLEMS,
            "Please complete the invoice and send it to us again in BCC. A PDF with real text (not a scan), "
            "or one with a UBL file attached, is what we read most reliably.",
            addressee="business",
        ),
    },
}
