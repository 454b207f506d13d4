"""Wording of the letters outside the plain ladder: 14-day letter, final notice, plans, copies, thanks, notices."""

from __future__ import annotations

from letter_templates.wording_common import (
    BY_DEADLINE,
    BY_DEADLINE_EN_FIXED,
    DEAR_EN,
    DEAR_NL,
    FACTUUR,
    GENERAL_EN,
    GENERAL_NL,
    GREET_EN,
    GREET_NL,
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
    general,
    letter,
)
from letter_templates.wording_law import claim, received

# The exact wording domain.md calls safe: a term stated any other way voids the collection costs (6:96 lid 6
# BW). The letter therefore prints no pay-by date of its own: the term runs from the day after delivery.
FOURTEEN_DAYS_NL = "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd"
FOURTEEN_DAYS_EN = "within fourteen days from the day after this letter has been delivered to you"
COSTS_NL = "{{ costs.amount|money(currency) }}"

# Book XIX CEL (domain.md): the first reminder is free; its 14 days start the third working day after posting
# or the day after an e-mail; the letter states the amounts, the due date, the term and the consequences.
BE_TERM_NL = ("{% if letter.channel == 'letter' %}de derde werkdag na de verzending van deze brief"
              "{% else %}de dag na de verzending van deze e-mail{% endif %}")
BE_TERM_EN = ("{% if letter.channel == 'letter' %}the third working day after this letter was posted"
              "{% else %}the day after this e-mail was sent{% endif %}")

OTHER: dict[str, dict[str, Letter]] = {
    "fourteen_day_letter": {
        "nl": letter(
            "{% if claim.country == 'BE' %}Eerste herinnering{% else %}Aanmaning met incassokosten{% endif %}: "
            + ONE_OR_MORE_NL + " – {{ business.name }}",
            "{% if claim.country == 'BE' %}Eerste herinnering " + ONE_OR_MORE_NL + "{% else %}Aanmaning "
            + ONE_OR_MORE_NL + " (veertiendagenbrief){% endif %}",
            DEAR_NL,
            "{% if claim.country == 'BE' %}Volgens onze administratie heeft u onderstaande " + FACTUUR + " nog niet "
            "betaald; de vervaldag is verstreken. Dit is onze eerste herinnering; zij is kosteloos."
            "{% else %}Ondanks onze eerdere herinnering heeft u onderstaande " + FACTUUR + " nog niet betaald. De "
            "betaaltermijn is verstreken; u bent daardoor in verzuim.{% endif %}",
            "{%p if letter.copy %}",
            "Dit is een kopie per e-mail van de brief die wij u vandaag per post hebben gestuurd. De termijn "
            "hieronder loopt vanaf de bezorging van die brief.",
            "{%p endif %}",
            INVOICES,
            *received("nl"),
            "{%p if promise.date %}",
            "U liet ons weten dat u uiterlijk {{ promise.date|date }} zou betalen; die betaling hebben wij niet "
            "ontvangen.",
            "{%p endif %}",
            "{%p if claim.country == 'BE' %}",
            "U kunt het openstaande bedrag van {{ total_open|money(currency) }} zonder kosten betalen binnen "
            f"veertien kalenderdagen, te rekenen vanaf {BE_TERM_NL}, dus uiterlijk op {{{{ letter.deadline|date }}}}. "
            "Maak het bedrag over op rekening {{ payment.iban }} ten name van {{ business.name }}, met de "
            "mededeling {{ payment.reference }}.",
            "Betaalt u niet binnen deze termijn, dan kunnen wij u, naast het openstaande bedrag, een forfaitaire "
            "schadevergoeding van {{ costs.amount|money(currency) }} aanrekenen, en verwijlinterest tegen de "
            "wettelijke interestvoet (nu {{ claim.interest_rate|percent }} per jaar) vanaf het einde van de "
            "termijn (boek XIX van het Wetboek van economisch recht).",
            "{%p else %}",
            f"Wij geven u de gelegenheid het openstaande bedrag van {{{{ total_open|money(currency) }}}} alsnog "
            f"te betalen {FOURTEEN_DAYS_NL}. Maak het bedrag over op rekening {{{{ payment.iban }}}} ten name "
            "van {{ business.name }}, onder vermelding van {{ payment.reference }}.",
            "Betaalt u niet binnen deze termijn, dan brengen wij buitengerechtelijke incassokosten bij u in "
            f"rekening. Die bedragen {COSTS_NL}, berekend volgens het Besluit vergoeding voor "
            "buitengerechtelijke incassokosten (artikel 6:96 BW). Ook kunnen wij dan de wettelijke rente "
            "(artikel 6:119 BW) vanaf de vervaldatum vorderen{% if costs.interest %} (tot nu toe "
            "{{ costs.interest|money(currency) }}){% endif %}.",
            "{%p endif %}",
            "Kunt u niet in één keer betalen, of bent u het niet eens met de factuur? Reageer dan op deze "
            "brief; dan zoeken wij samen naar een oplossing, bijvoorbeeld een betalingsregeling.",
            PAY,
        ),
        "en": letter(
            "{% if claim.country == 'BE' %}First reminder{% else %}Notice of collection costs{% endif %}: "
            + ONE_OR_MORE_EN + " – {{ business.name }}",
            "{% if claim.country == 'BE' %}First reminder: " + ONE_OR_MORE_EN + "{% else %}Formal notice: "
            + ONE_OR_MORE_EN + " (fourteen-day letter){% endif %}",
            DEAR_EN,
            "{% if claim.country == 'BE' %}According to our records you have not yet paid the " + INVOICE + " below; "
            "the due date has passed. This is our first reminder, and it is free of charge."
            "{% else %}Despite our earlier reminder you have not yet paid the " + INVOICE + " below. The payment "
            "term has expired, so you are now in default.{% endif %}",
            "{%p if letter.copy %}",
            "This is an e-mail copy of the letter we posted to you today. The term below runs from the "
            "delivery of that letter.",
            "{%p endif %}",
            INVOICES,
            *received("en"),
            "{%p if promise.date %}",
            "You told us you would pay by {{ promise.date|date }}; we have not received that payment.",
            "{%p endif %}",
            "{%p if claim.country == 'BE' %}",
            "You can pay the open amount of {{ total_open|money(currency) }} free of charge within fourteen "
            f"calendar days counted from {BE_TERM_EN}, that is by {{{{ letter.deadline|date }}}}. Please transfer "
            "it to account {{ payment.iban }} in the name of {{ business.name }}, quoting {{ payment.reference }}.",
            "If you do not pay within this term, we may charge you, on top of the open amount, flat-rate damages "
            "of {{ costs.amount|money(currency) }} and late-payment interest at the Belgian legal interest rate "
            "(currently {{ claim.interest_rate|percent }} a year) from the end of the term (Book XIX of the "
            "Belgian Code of Economic Law).",
            "{%p else %}",
            "We give you the opportunity to pay the open amount of {{ total_open|money(currency) }} "
            f"{FOURTEEN_DAYS_EN}. Please transfer it to account {{{{ payment.iban }}}} in the name of "
            "{{ business.name }}, quoting {{ payment.reference }}.",
            "If you do not pay within this term, we will charge you extrajudicial collection costs of "
            "{{ costs.amount|money(currency) }}, calculated under the Dutch Extrajudicial Collection Costs "
            "Decree (article 6:96 of the Dutch Civil Code). We may then also claim statutory interest (article "
            "6:119 of the Dutch Civil Code) from the due date{% if costs.interest %} "
            "({{ costs.interest|money(currency) }} so far){% endif %}.",
            "{%p endif %}",
            "If you cannot pay in one go, or disagree with the invoice, please reply to this letter so we can "
            "find a solution together, such as a payment plan.",
            PAY,
        ),
    },
    # The one "last" letter of every ladder: after its deadline the invoice goes to a person.
    "final_notice": {
        "nl": letter(
            f"Laatste sommatie: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Laatste sommatie {ONE_OR_MORE_NL}",
            GREET_NL,
            *general(GENERAL_NL),
            f"Ondanks al onze berichten {{% if debtor.consumer %}}heeft u{{% else %}}heeft {{{{ debtor.name }}}}"
            f"{{% endif %}} onderstaande {FACTUUR} niet {{% if received.amount %}}volledig {{% endif %}}betaald. "
            "De vervaldata staan in de tabel; de betaaltermijn is voor elke factuur verstreken.",
            INVOICES,
            *received("nl"),
            *claim("nl"),
            "Zo hebben wij tot nu toe contact met u gehad:",
            HISTORY,
            PAY_NL.format(kind="{% if claim.costs_due %}dit bedrag van{% else %}het openstaande bedrag van"
                          "{% endif %}", when=BY_DEADLINE),
            "Hebben wij op {{ letter.deadline|date }} geen betaling ontvangen, dan dragen wij de vordering "
            "zonder verdere aankondiging over aan een incassobureau of advocaat.",
            PAY,
        ),
        "en": letter(
            f"Final notice: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Final notice: {ONE_OR_MORE_EN}",
            GREET_EN,
            *general(GENERAL_EN),
            "Despite all our messages, {% if debtor.consumer %}you have{% else %}{{ debtor.name }} has{% endif %} "
            f"not {{% if received.amount %}}fully {{% endif %}}paid the {INVOICE} below. The due dates are in the "
            "table; the payment term has expired for each invoice.",
            INVOICES,
            *received("en"),
            *claim("en"),
            "This is every contact we have had with you so far:",
            HISTORY,
            PAY_EN.format(kind="{% if claim.costs_due %}this amount of{% else %}the open amount of{% endif %}",
                          when=BY_DEADLINE_EN_FIXED),
            "If we have not received payment by {{ letter.deadline|date }}, we will hand the claim over to a "
            "collection agency or lawyer without further notice.",
            PAY,
        ),
    },
    # Instead of the next ladder letter when the debtor promised to pay and did not.
    "promise_broken": {
        "nl": letter(
            f"Uw betaalbelofte: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Betaalbelofte niet nagekomen: {ONE_OR_MORE_NL}",
            GREET_NL,
            *general(GENERAL_NL),
            f"U liet ons weten dat u onderstaande {FACTUUR} uiterlijk {{{{ promise.date|date }}}} zou betalen. "
            "Die betaling hebben wij tot vandaag niet {% if received.amount %}volledig {% endif %}ontvangen.",
            INVOICES,
            *received("nl"),
            *claim("nl"),
            PAY_NL.format(kind="{% if claim.costs_due %}dit bedrag van{% else %}het openstaande bedrag van"
                          "{% endif %}", when=BY_DEADLINE),
            "{%p if promise.count > 1 %}",
            "U heeft ons al vaker een betaling toegezegd. Stuur ons daarom bij deze betaling een kopie van de "
            "overboekingsopdracht.",
            "{%p endif %}",
            "Is er iets tussengekomen? Reageer dan op dit bericht; dan zoeken wij samen naar een oplossing.",
            PAY,
        ),
        "en": letter(
            f"Your promise to pay: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Promise to pay not kept: {ONE_OR_MORE_EN}",
            GREET_EN,
            *general(GENERAL_EN),
            f"You told us you would pay the {INVOICE} below by {{{{ promise.date|date }}}}. We have not "
            "received {% if received.amount %}full {% endif %}payment to date.",
            INVOICES,
            *received("en"),
            *claim("en"),
            PAY_EN.format(kind="{% if claim.costs_due %}this amount of{% else %}the open amount of{% endif %}",
                          when=BY_DEADLINE_EN_FIXED),
            "{%p if promise.count > 1 %}",
            "You have promised payment before, so please send us a copy of the transfer order with this payment.",
            "{%p endif %}",
            "Has something come up? Please reply to this message so we can find a solution together.",
            PAY,
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
            "{%p if notice.api %}",
            "Voor wie dit automatiseert: {{ notice.api }}.",
            "{%p endif %}",
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
            "{%p if notice.api %}",
            "For whoever automates this: {{ notice.api }}.",
            "{%p endif %}",
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
