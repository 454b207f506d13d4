"""Compose labelled debtor replies (intent x nl/en/de/fr) from hand-written building blocks into phrasings.jsonl."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("phrasings.jsonl")
SEED = 20261201
PER_CELL = 140  # distinct phrasings per intent and language (the brief asks at least 100)
INTENTS = ("promise_to_pay", "paid", "dispute", "copy_request", "payment_plan_request", "wrong_contact", "other")
LANGS = ("nl", "en", "de", "fr")

# Slots filled per phrasing: {inv} an invoice number, {amt} an amount, {when} a day ahead, {past} a day behind,
# {name} a colleague, {mail} an address. Written from what debtors answer to a reminder, not from any corpus.
SLOTS = {
    "nl": {
        "when": ["vrijdag", "volgende week", "morgen", "eind van de maand", "15/12", "maandag", "uiterlijk vrijdag",
                 "begin volgende maand", "over twee weken", "de 20e", "na de 25e", "in week 49", "30 november",
                 "deze week nog", "na ontvangst van onze klant"],
        "past": ["gisteren", "vorige week", "op 3 november", "vanochtend", "maandag", "12-11", "eergisteren",
                 "afgelopen vrijdag", "vorige maand"],
        "name": ["Jan", "Petra", "mevrouw De Vries", "dhr. Jansen", "Karin", "onze boekhouder"],
    },
    "en": {
        "when": ["Friday", "next week", "tomorrow", "the end of the month", "15/12", "Monday", "30 November",
                 "early next month", "within two weeks", "the 20th", "our next payment run", "end of this week",
                 "next Tuesday", "December 5th", "the end of the quarter"],
        "past": ["yesterday", "last week", "on 3 November", "this morning", "on Monday", "12/11", "two days ago",
                 "last Friday", "last month"],
        "name": ["John", "Sarah", "Mr Smith", "Mrs Brown", "Karen", "our bookkeeper"],
    },
    "de": {
        "when": ["Freitag", "nächste Woche", "morgen", "Ende des Monats", "15.12.", "Montag", "den 30. November",
                 "Anfang nächsten Monats", "in zwei Wochen", "zum 20.", "dem nächsten Zahllauf", "Ende dieser Woche",
                 "kommenden Dienstag", "Monatsende", "KW 49"],
        "past": ["gestern", "letzte Woche", "am 3. November", "heute früh", "am Montag", "12.11.", "vorgestern",
                 "letzten Freitag", "letzten Monat"],
        "name": ["Herr Müller", "Frau Schmidt", "Herr Weber", "Frau Becker", "Thomas", "unsere Buchhaltung"],
    },
    "fr": {
        "when": ["vendredi", "la semaine prochaine", "demain", "la fin du mois", "15/12", "lundi", "le 30 novembre",
                 "début du mois prochain", "sous deux semaines", "le 20", "notre prochaine campagne de paiement",
                 "la fin de la semaine", "mardi prochain", "fin novembre", "d'ici 10 jours"],
        "past": ["hier", "la semaine dernière", "le 3 novembre", "ce matin", "lundi", "12/11", "avant-hier",
                 "vendredi dernier", "le mois dernier"],
        "name": ["M. Dupont", "Mme Martin", "Sophie", "M. Bernard", "Julien", "notre comptable"],
    },
}

# Core sentences per language and intent. Short, long, formal and curt forms, as people write them.
CORES: dict[str, dict[str, list[str]]] = {
    "nl": {
        "promise_to_pay": [
            "Nog niet betaald, maar dat doen we {when}.",
            "Wij betalen de factuur {when}.", "We maken het bedrag {when} over.", "Betaling volgt {when}.",
            "De factuur wordt {when} voldaan.", "Ik zorg dat het {when} betaald is.", "wordt {when} betaald",
            "We hebben het ingepland voor {when}.", "Staat klaar voor betaling {when}.",
            "Excuses voor de vertraging, we betalen {when}.", "Ik maak het {when} over",
            "Het geld staat {when} op uw rekening.", "Factuur {inv} gaat mee in de betaalrun van {when}.",
            "Wordt meegenomen in de eerstvolgende betaalronde.", "We gaan het {when} regelen.",
            "Komt in orde, {when} betaald.",
            "We voldoen {inv} {when}.",
            "Ik betaal het zo snel mogelijk, uiterlijk {when}.",
            "sorry vergeten, betaal {when}", "We wachten op geld van een klant, daarna betalen we {when}.",
            "Het openstaande bedrag van {amt} wordt {when} overgemaakt.",
        ],
        "paid": [
            "We hebben de factuur {past} betaald.", "Is al betaald.", "Het bedrag is {past} overgemaakt.",
            "Factuur {inv} is reeds voldaan.", "Betaling is {past} gedaan.", "Al betaald hoor, zie bijlage.",
            "Wij hebben {amt} {past} overgemaakt.", "Deze factuur is al lang betaald.",
            "Het is {past} van onze rekening afgeschreven.",
            "Graag uw administratie controleren, wij hebben al betaald.",
            "Betaalbewijs in de bijlage.", "Zou inmiddels binnen moeten zijn, {past} overgeboekt.",
            "Hebben we toch al betaald?", "betaald {past}", "Is voldaan via de bank {past}.",
            "Kruist uw herinnering met onze betaling.", "Het bedrag van {amt} is {past} voldaan.",
            "Uw factuur {inv} hebben wij {past} betaald, onder vermelding van het factuurnummer.",
        ],
        "dispute": [
            "Wij zijn het niet eens met deze factuur.", "Het bedrag klopt niet.", "De uren kloppen niet.",
            "Wij betwisten factuur {inv}.", "De goederen zijn beschadigd aangekomen.", "Dit hebben wij nooit besteld.",
            "Er is te veel berekend.", "De levering was niet compleet, we betalen pas na een creditnota.",
            "Het werk is niet goed uitgevoerd, wij gaan hier niet voor betalen.", "Dubbel gefactureerd!",
            "Wij hebben een klacht ingediend over deze levering.", "De prijs wijkt af van de offerte.",
            "Factuur {inv} is onjuist, het tarief was anders afgesproken.", "We hebben bezwaar tegen deze factuur.",
            "Product werkt niet, wij sturen het terug.", "klopt niet, graag creditnota",
            "We hebben nooit iets ontvangen.", "De korting is niet verrekend.",
            "We betwisten regel 2, de rest betalen we {when}.",
        ],
        "copy_request": [
            "Waar gaat deze herinnering over?", "Ik heb nooit een rekening gezien.",
            "Kunt u mij een kopie van de factuur sturen?", "Wij hebben factuur {inv} nooit ontvangen.",
            "Graag de factuur nog een keer mailen.", "Welke factuur betreft dit?", "Kunt u de pdf opnieuw sturen?",
            "Ik kan de factuur niet vinden, kunt u hem nog eens sturen?", "Stuur de factuur naar ons factuuradres.",
            "De bijlage ontbreekt.", "Graag een duplicaat van {inv}.", "Kan ik de factuur nogmaals krijgen?",
            "Wij kennen deze factuur niet, graag een kopie.", "De factuur opent niet, kunt u hem opnieuw sturen?",
            "graag kopie factuur", "Mag ik de onderliggende factuur en pakbon ontvangen?",
            "Is er een specificatie van dit bedrag?", "Wij missen de factuur in onze administratie.",
        ],
        "payment_plan_request": [
            "Kan ik nu de helft betalen en de rest later?", "Ik kan nu {amt} betalen, de rest in delen.",
            "Kunnen we een betalingsregeling treffen?", "Is het mogelijk om in termijnen te betalen?",
            "Wij kunnen het niet in één keer betalen.", "Mag ik het bedrag in drie delen betalen?",
            "Graag een afbetalingsregeling, we zitten krap.", "Kan ik {amt} per maand betalen?",
            "Is gespreide betaling mogelijk?", "We stellen voor om maandelijks {amt} af te lossen.",
            "Ik heb het financieel moeilijk, kan ik in delen betalen?", "regeling mogelijk?",
            "Kunnen we de betaling over een paar maanden spreiden?",
            "Uitstel van betaling mogelijk? In twee keer betalen?",
            "Ik wil graag een regeling voor {inv}.", "Kunnen we afspreken dat ik elke maand iets betaal?",
        ],
        "wrong_contact": [
            "{name} is met pensioen, pas uw gegevens aan.",
            "{name} is met zwangerschapsverlof, mail de administratie.",
            "U heeft een verkeerd bedrijf, wij hebben een andere KvK.",
            "Gelieve ons adres uit uw bestand te verwijderen.",
            "{name} werkt hier niet meer.", "U heeft het verkeerde adres.", "Ik ben niet de juiste persoon.",
            "Stuur facturen voortaan naar crediteuren@klant.nl.",
            "{name} is uit dienst, mail naar administratie@bedrijf.nl.",
            "Dit is een persoonlijk adres, niet van het bedrijf.", "Wij zijn niet uw klant, verkeerde ontvanger.",
            "Ik ga niet over facturen, probeer de afdeling inkoop.", "Verkeerde contactpersoon.",
            "Richt u tot onze financiële afdeling.", "Dit adres wordt niet meer gelezen.",
            "{name} is niet meer werkzaam bij ons bedrijf.",
            "Het bedrijf is overgenomen, stuur het naar de nieuwe eigenaar.",
            "Deze mail is bij de verkeerde persoon terechtgekomen.",
        ],
        "other": [
            "Het is nog niet betaald.", "We hebben nog niet betaald, ik vraag het na.",
            "Geen probleem, ik kijk ernaar.", "Geen punt.", "Top, laat maar weten als je iets nodig hebt.",
            "Bedankt voor uw bericht.", "Ontvangen, dank u.", "Ik kom hier later op terug.", "Ik bekijk het.",
            "Wat is uw IBAN?", "Op welk rekeningnummer?", "Ik zal het doorsturen naar de boekhouding.",
            "Kunt u mij even bellen?", "Wie is mijn contactpersoon?", "Ok.", "Goedemorgen, gezien.",
            "Wij nemen contact met u op.", "Ik ben er volgende week weer en kijk er dan naar.",
            "Ons adres is gewijzigd.",
            "Ik heb uw mail doorgestuurd naar {name}.",
            "Wat is de status van mijn bestelling?",
            "Kunt u het klantnummer doorgeven?", "Noted, dank je.",
        ],
    },
    "en": {
        "promise_to_pay": [
            "Not paid yet, but we will do it {when}.",
            "We will pay the invoice {when}.", "Payment will be made {when}.", "I'll transfer it {when}.",
            "This is scheduled in our next payment run.", "Payment is scheduled for {when}.", "will pay {when}",
            "We'll settle invoice {inv} by {when}.", "Sorry for the delay, you will have it {when}.",
            "The amount of {amt} will be transferred {when}.", "Payment goes out {when}.",
            "It's been approved and will be paid {when}.", "We are waiting for funds, expect payment {when}.",
            "Will be included in the payment run of {when}.", "I will make sure it gets paid {when}.",
            "You should receive the money {when}.", "apologies, will sort it {when}", "Paying {when}, promise.",
            "We intend to clear the balance {when}.", "Our accounts team will process it {when}.",
        ],
        "paid": [
            "We paid the invoice {past}.", "Already paid.", "The amount was transferred {past}.",
            "Invoice {inv} has been settled.", "Payment was made {past}.", "Paid {past}, see attached remittance.",
            "We sent {amt} {past}.", "This was paid ages ago.", "It left our account {past}.",
            "Please check your records, we have already paid.", "Proof of payment attached.",
            "Should be with you by now, wired {past}.", "haven't we paid this already?", "paid {past}",
            "Our reminder crossed with the payment.", "Your reminder crossed our payment.",
            "The balance of {amt} was cleared {past}.", "We settled {inv} {past} quoting the invoice number.",
        ],
        "dispute": [
            "We do not agree with this invoice.", "The amount is wrong.", "The hours are incorrect.",
            "We dispute invoice {inv}.", "The goods arrived damaged.", "We never ordered this.",
            "You have overcharged us.", "The delivery was incomplete, we will pay once we get a credit note.",
            "The work was not done properly, we won't pay for this.", "Charged twice!",
            "We raised a complaint about this delivery.", "The price differs from the quote.",
            "Invoice {inv} is incorrect, the agreed rate was lower.", "We object to this invoice.",
            "Product doesn't work, we are sending it back.", "wrong, pls send credit note",
            "We never received anything.", "The discount was not applied.",
            "We dispute line 2 but pay the rest {when}.",
        ],
        "copy_request": [
            "What is this reminder about?", "I have never seen a bill for this.",
            "Could you send me a copy of the invoice?", "We never received invoice {inv}.",
            "Please email the invoice again.", "Which invoice is this about?", "Can you resend the PDF?",
            "I can't find the invoice, could you send it again?", "Please send the invoice to our AP mailbox.",
            "The attachment is missing.", "Please send a duplicate of {inv}.", "Can I get the invoice once more?",
            "We don't recognise this invoice, please send a copy.", "The invoice won't open, can you resend it?",
            "copy of invoice pls", "Could I have the invoice and the delivery note?",
            "Is there a breakdown of this amount?", "We cannot find this invoice in our system.",
        ],
        "payment_plan_request": [
            "Can I pay half now and the rest later?", "I can pay {amt} now and the remainder in parts.",
            "Can we set up a payment plan?", "Is it possible to pay in instalments?",
            "We can't pay it all at once.", "Could I pay the amount in three parts?",
            "We would like a payment arrangement, cash is tight.", "Can I pay {amt} a month?",
            "Is spreading the payment possible?", "We propose to pay {amt} monthly.",
            "I'm struggling financially, can I pay in parts?", "payment plan possible?",
            "Could we spread the payment over a few months?", "Could we split it into two payments?",
            "I'd like an arrangement for {inv}.", "Can we agree that I pay something every month?",
        ],
        "wrong_contact": [
            "{name} has retired, please update your contacts.",
            "{name} is on leave, contact our office manager.",
            "Wrong company, we are a different business with a similar name.",
            "Please remove this address from your mailing.",
            "{name} no longer works here.", "You have the wrong address.", "I am not the right person for this.",
            "Please send invoices to ap@customer.com from now on.",
            "{name} has left the company, please contact accounts@firm.co.uk.",
            "This is a personal address, not the company's.", "We are not your customer, wrong recipient.",
            "I don't deal with invoices, try purchasing.", "Wrong contact.",
            "Please direct this to our finance department.", "This mailbox is no longer monitored.",
            "{name} is not with us anymore.", "The company was taken over, send it to the new owner.",
            "This email reached the wrong person.",
        ],
        "other": [
            "We have not paid yet.", "Not paid yet, I will check with finance.",
            "No big deal, I'll have a look.", "Sure, sounds good.", "Great, let me know if you need anything.",
            "Thanks for your message.", "Received, thank you.", "I'll get back to you.", "I'll look into it.",
            "What is your IBAN?", "Which account number?", "I'll forward this to accounting.",
            "Could you give me a call?", "Who is my contact?", "Ok.", "Morning, noted.",
            "We will be in touch.", "I'm back next week and will look at it then.",
            "Our address has changed.", "I've forwarded your mail to {name}.", "What's the status of my order?",
            "Can you tell me the customer number?", "Noted, thanks.",
        ],
    },
    "de": {
        "promise_to_pay": [
            "Noch nicht bezahlt, aber wir zahlen {when}.",
            "Wir bezahlen die Rechnung {when}.", "Die Zahlung erfolgt {when}.", "Ich überweise den Betrag {when}.",
            "Die Rechnung wird {when} beglichen.", "Zahlung ist für {when} eingeplant.", "wird {when} bezahlt",
            "Wir begleichen {inv} bis {when}.", "Entschuldigung für die Verspätung, Sie erhalten das Geld {when}.",
            "Der Betrag von {amt} wird {when} überwiesen.", "Die Überweisung geht {when} raus.",
            "Die Rechnung ist freigegeben und wird {when} gezahlt.",
            "Wir warten auf einen Zahlungseingang, danach zahlen wir {when}.",
            "Ist im Zahllauf von {when} enthalten.", "Ich kümmere mich darum, bis {when} ist es bezahlt.",
            "Das Geld ist {when} bei Ihnen.", "sorry vergessen, zahle {when}", "Wir zahlen {when}, versprochen.",
            "Wir werden den offenen Betrag {when} ausgleichen.", "Unsere Buchhaltung veranlasst die Zahlung {when}.",
        ],
        "paid": [
            "Wir haben die Rechnung {past} bezahlt.", "Schon bezahlt.", "Der Betrag wurde {past} überwiesen.",
            "Rechnung {inv} ist bereits beglichen.", "Die Zahlung erfolgte {past}.", "Bezahlt {past}, Beleg anbei.",
            "Wir haben {amt} {past} überwiesen.",
            "Das ist längst bezahlt.",
            "Es wurde {past} von unserem Konto abgebucht.",
            "Bitte prüfen Sie Ihre Buchhaltung, wir haben schon gezahlt.", "Zahlungsnachweis im Anhang.",
            "Müsste inzwischen angekommen sein, {past} überwiesen.", "haben wir das nicht schon bezahlt?",
            "bezahlt {past}", "Ihre Mahnung hat sich mit unserer Zahlung überschnitten.",
            "Der Betrag von {amt} ist {past} ausgeglichen worden.", "Die Überweisung ist {past} rausgegangen.",
            "Wir haben {inv} {past} unter Angabe der Rechnungsnummer bezahlt.",
        ],
        "dispute": [
            "Wir sind mit dieser Rechnung nicht einverstanden.", "Der Betrag stimmt nicht.", "Die Stunden sind falsch.",
            "Wir widersprechen der Rechnung {inv}.", "Die Ware kam beschädigt an.", "Das haben wir nie bestellt.",
            "Sie haben zu viel berechnet.", "Die Lieferung war unvollständig, wir zahlen erst nach einer Gutschrift.",
            "Die Arbeit wurde mangelhaft ausgeführt, das zahlen wir nicht.", "Doppelt berechnet!",
            "Wir haben eine Reklamation zu dieser Lieferung.", "Der Preis weicht vom Angebot ab.",
            "Rechnung {inv} ist fehlerhaft, der vereinbarte Satz war niedriger.", "Wir beanstanden diese Rechnung.",
            "Das Gerät funktioniert nicht, wir schicken es zurück.", "stimmt nicht, bitte Gutschrift",
            "Wir haben nie etwas erhalten.", "Der Rabatt wurde nicht abgezogen.",
            "Position 2 beanstanden wir, den Rest zahlen wir {when}.",
        ],
        "copy_request": [
            "Worum geht es bei dieser Mahnung?", "Ich habe nie eine Rechnung dazu gesehen.",
            "Können Sie mir eine Kopie der Rechnung schicken?", "Wir haben die Rechnung {inv} nie erhalten.",
            "Bitte senden Sie die Rechnung noch einmal.",
            "Um welche Rechnung geht es?",
            "Können Sie das PDF erneut senden?",
            "Ich finde die Rechnung nicht, bitte nochmal schicken.",
            "Bitte die Rechnung an unsere Rechnungsadresse senden.",
            "Der Anhang fehlt.", "Bitte ein Duplikat von {inv}.", "Kann ich die Rechnung nochmals bekommen?",
            "Diese Rechnung ist uns unbekannt, bitte Kopie senden.",
            "Die Rechnung lässt sich nicht öffnen, bitte erneut senden.",
            "bitte rechnungskopie", "Könnte ich die Rechnung und den Lieferschein bekommen?",
            "Gibt es eine Aufstellung zu diesem Betrag?", "Wir finden diese Rechnung nicht in unserem System.",
        ],
        "payment_plan_request": [
            "Kann ich jetzt die Hälfte und den Rest später zahlen?",
            "Ich kann jetzt {amt} zahlen, den Rest in Teilbeträgen.",
            "Können wir eine Ratenzahlung vereinbaren?", "Ist es möglich, in Raten zu zahlen?",
            "Wir können nicht alles auf einmal zahlen.", "Kann ich den Betrag in drei Teilen zahlen?",
            "Wir bitten um eine Ratenvereinbarung, die Liquidität ist knapp.", "Kann ich {amt} pro Monat zahlen?",
            "Ist eine Teilzahlung möglich?", "Wir schlagen vor, monatlich {amt} zu zahlen.",
            "Ich habe finanzielle Schwierigkeiten, kann ich in Teilen zahlen?", "ratenzahlung möglich?",
            "Könnten wir die Zahlung auf einige Monate verteilen?", "Können wir es in zwei Zahlungen aufteilen?",
            "Ich hätte gern einen Zahlungsplan für {inv}.", "Können wir vereinbaren, dass ich jeden Monat etwas zahle?",
        ],
        "wrong_contact": [
            "{name} ist im Ruhestand, bitte passen Sie Ihre Daten an.",
            "{name} ist in Elternzeit, bitte an das Sekretariat.",
            "Falsche Firma, wir sind ein anderes Unternehmen mit ähnlichem Namen.",
            "Bitte entfernen Sie diese Adresse aus Ihrem Verteiler.",
            "{name} ist nicht mehr bei uns.",
            "Sie haben die falsche Adresse.",
            "Ich bin nicht der richtige Ansprechpartner.",
            "Bitte senden Sie Rechnungen künftig an buchhaltung@kunde.de.",
            "{name} hat das Unternehmen verlassen, bitte an rechnung@firma.de.",
            "Das ist eine private Adresse, nicht die der Firma.", "Wir sind nicht Ihr Kunde, falscher Empfänger.",
            "Für Rechnungen bin ich nicht zuständig, wenden Sie sich an den Einkauf.", "Falscher Ansprechpartner.",
            "Bitte wenden Sie sich an unsere Finanzabteilung.", "Dieses Postfach wird nicht mehr gelesen.",
            "{name} ist nicht mehr im Unternehmen tätig.", "Die Firma wurde übernommen, bitte an den neuen Inhaber.",
            "Diese Mail ist bei der falschen Person gelandet.",
        ],
        "other": [
            "Wir haben noch nicht bezahlt.", "Noch nicht bezahlt, ich frage in der Buchhaltung nach.",
            "Kein Problem, ich schaue es mir an.", "Klingt gut.", "Alles gut, melden Sie sich bei Bedarf.",
            "Danke für Ihre Nachricht.", "Erhalten, danke.", "Ich melde mich später.", "Ich schaue mir das an.",
            "Wie lautet Ihre IBAN?", "Auf welches Konto?", "Ich leite das an die Buchhaltung weiter.",
            "Können Sie mich kurz anrufen?", "Wer ist mein Ansprechpartner?", "Ok.", "Guten Morgen, gesehen.",
            "Wir melden uns.", "Ich bin nächste Woche wieder da und schaue es mir dann an.",
            "Unsere Adresse hat sich geändert.", "Ich habe Ihre Mail an {name} weitergeleitet.",
            "Wie ist der Stand meiner Bestellung?",
            "Können Sie mir die Kundennummer nennen?",
            "Zur Kenntnis genommen, danke.",
        ],
    },
    "fr": {
        "promise_to_pay": [
            "Pas encore payé, mais nous le ferons {when}.",
            "Nous allons payer la facture {when}.", "Le paiement sera effectué {when}.", "Je fais le virement {when}.",
            "La facture sera réglée {when}.", "Le paiement est prévu pour {when}.", "sera payé {when}",
            "Nous réglerons {inv} d'ici {when}.", "Désolé pour le retard, vous serez payés {when}.",
            "Le montant de {amt} sera viré {when}.", "Le virement part {when}.",
            "La facture est validée et sera payée {when}.", "Nous attendons un encaissement, nous paierons {when}.",
            "Elle sera incluse dans notre campagne de paiement de {when}.", "Je m'en occupe, ce sera réglé {when}.",
            "Vous recevrez les fonds {when}.", "dsl oubli, je paie {when}", "Nous payons {when}, promis.",
            "Nous solderons le montant restant {when}.", "Notre comptabilité lancera le paiement {when}.",
        ],
        "paid": [
            "Nous avons payé la facture {past}.", "Déjà payé.", "Le montant a été viré {past}.",
            "La facture {inv} est déjà réglée.",
            "Le paiement a été effectué {past}.",
            "Payé {past}, justificatif joint.",
            "Nous avons viré {amt} {past}.",
            "C'est payé depuis longtemps.",
            "Le montant a été débité de notre compte {past}.",
            "Merci de vérifier votre comptabilité, nous avons déjà payé.", "Preuve de paiement en pièce jointe.",
            "Vous devriez l'avoir reçu, virement fait {past}.", "on ne l'a pas déjà payée ?", "réglé {past}",
            "Votre relance a croisé notre paiement.", "La somme de {amt} a été réglée {past}.",
            "Le virement est parti {past}.", "Nous avons réglé {inv} {past} avec le numéro de facture en référence.",
        ],
        "dispute": [
            "Nous ne sommes pas d'accord avec cette facture.", "Le montant est faux.", "Les heures sont incorrectes.",
            "Nous contestons la facture {inv}.",
            "La marchandise est arrivée abîmée.",
            "Nous n'avons jamais commandé cela.",
            "Vous nous avez surfacturé.", "La livraison était incomplète, nous paierons après un avoir.",
            "Le travail a été mal fait, nous ne paierons pas.", "Facturé deux fois !",
            "Nous avons fait une réclamation pour cette livraison.", "Le prix ne correspond pas au devis.",
            "La facture {inv} est erronée, le tarif convenu était plus bas.", "Nous refusons cette facture.",
            "L'appareil ne marche pas, nous le renvoyons.", "pas bon, merci de faire un avoir",
            "Nous n'avons jamais rien reçu.", "La remise n'a pas été appliquée.",
            "Nous contestons la ligne 2 mais payons le reste {when}.",
        ],
        "copy_request": [
            "De quoi parle cette relance ?", "Je n'ai jamais vu de facture pour cela.",
            "Pouvez-vous m'envoyer une copie de la facture ?", "Nous n'avons jamais reçu la facture {inv}.",
            "Merci de renvoyer la facture.", "De quelle facture s'agit-il ?", "Pouvez-vous renvoyer le PDF ?",
            "Je ne trouve pas la facture, pouvez-vous la renvoyer ?",
            "Merci d'envoyer la facture à notre service comptable.",
            "La pièce jointe manque.",
            "Merci de nous envoyer un duplicata de {inv}.",
            "Puis-je recevoir la facture à nouveau ?",
            "Nous ne connaissons pas cette facture, merci d'en envoyer une copie.",
            "La facture ne s'ouvre pas, pouvez-vous la renvoyer ?",
            "copie facture svp", "Pourrais-je avoir la facture et le bon de livraison ?",
            "Avez-vous un détail de ce montant ?", "Nous ne trouvons pas cette facture dans notre système.",
        ],
        "payment_plan_request": [
            "Puis-je payer la moitié maintenant et le reste plus tard ?",
            "Je peux payer {amt} maintenant et le reste en plusieurs fois.",
            "Pouvons-nous mettre en place un échéancier ?", "Est-il possible de payer en plusieurs fois ?",
            "Nous ne pouvons pas tout payer en une fois.", "Puis-je payer le montant en trois fois ?",
            "Nous souhaitons un plan de paiement, la trésorerie est tendue.", "Puis-je payer {amt} par mois ?",
            "Un paiement échelonné est-il possible ?", "Nous proposons de payer {amt} par mois.",
            "J'ai des difficultés financières, puis-je payer en plusieurs fois ?", "échéancier possible ?",
            "Pourrions-nous étaler le paiement sur quelques mois ?", "Pouvons-nous le payer en deux fois ?",
            "Je voudrais un arrangement pour {inv}.", "Pouvons-nous convenir que je paie chaque mois une partie ?",
        ],
        "wrong_contact": [
            "{name} est à la retraite, merci de mettre à jour vos fichiers.",
            "{name} est en congé, contactez notre secrétariat.",
            "Mauvaise société, nous sommes une autre entreprise au nom proche.",
            "Merci de retirer cette adresse de votre liste.",
            "{name} ne travaille plus chez nous.",
            "Vous avez la mauvaise adresse.",
            "Je ne suis pas la bonne personne.",
            "Merci d'envoyer désormais les factures à compta@client.fr.",
            "{name} a quitté la société, écrivez à factures@societe.fr.",
            "C'est une adresse personnelle, pas celle de l'entreprise.",
            "Nous ne sommes pas votre client, mauvais destinataire.",
            "Je ne m'occupe pas des factures, voyez le service achats.", "Mauvais interlocuteur.",
            "Merci de vous adresser à notre service financier.", "Cette boîte n'est plus consultée.",
            "{name} ne fait plus partie de l'entreprise.",
            "La société a été reprise, envoyez-le au nouveau propriétaire.",
            "Ce mail est arrivé chez la mauvaise personne.",
        ],
        "other": [
            "Nous n'avons pas encore payé.", "Pas encore payé, je vérifie avec la compta.",
            "Pas de souci, je regarde.", "Ça marche.", "Parfait, dites-moi si besoin.",
            "Merci pour votre message.", "Bien reçu, merci.", "Je reviens vers vous.", "Je regarde ça.",
            "Quel est votre IBAN ?", "Sur quel compte ?", "Je transmets à la comptabilité.",
            "Pouvez-vous m'appeler ?", "Qui est mon interlocuteur ?", "Ok.", "Bonjour, vu.",
            "Nous revenons vers vous.", "Je suis de retour la semaine prochaine et je regarderai.",
            "Notre adresse a changé.", "J'ai transféré votre mail à {name}.", "Où en est ma commande ?",
            "Pouvez-vous me donner le numéro client ?", "Noté, merci.",
        ],
    },
}

# Second sentences that add context without changing the intent (a reason, a reference, a politeness).
EXTRAS = {
    "nl": {"promise_to_pay": ["Excuses voor het ongemak.", "Het was even druk.", "Het betreft {inv}."],
           "paid": ["Met vermelding van {inv}.", "Zie het betaalbewijs."],
           "dispute": ["Graag een gecorrigeerde factuur.", "Wij houden de betaling aan."],
           "copy_request": ["Dan betalen we direct.", "Het gaat om {inv}."],
           "payment_plan_request": ["Het is een moeilijke periode.", "Het gaat om {amt}."],
           "wrong_contact": ["Met vriendelijke groet."], "other": ["Fijne dag."]},
    "en": {"promise_to_pay": ["Apologies for the inconvenience.", "It has been busy.", "This concerns {inv}."],
           "paid": ["Reference {inv}.", "See the remittance advice."],
           "dispute": ["Please send a corrected invoice.", "We are holding payment."],
           "copy_request": ["We'll pay straight away then.", "It's about {inv}."],
           "payment_plan_request": ["It is a difficult period.", "It concerns {amt}."],
           "wrong_contact": ["Kind regards."], "other": ["Have a nice day."]},
    "de": {"promise_to_pay": ["Entschuldigen Sie die Umstände.", "Es war viel los.", "Es geht um {inv}."],
           "paid": ["Verwendungszweck {inv}.", "Siehe Zahlungsavis."],
           "dispute": ["Bitte senden Sie eine korrigierte Rechnung.", "Wir halten die Zahlung zurück."],
           "copy_request": ["Dann zahlen wir sofort.", "Es geht um {inv}."],
           "payment_plan_request": ["Es ist eine schwierige Zeit.", "Es geht um {amt}."],
           "wrong_contact": ["Mit freundlichen Grüßen."], "other": ["Schönen Tag noch."]},
    "fr": {"promise_to_pay": ["Désolé pour le désagrément.", "Nous avons été débordés.", "Il s'agit de {inv}."],
           "paid": ["Référence {inv}.", "Voir l'avis de paiement."],
           "dispute": ["Merci d'envoyer une facture corrigée.", "Nous suspendons le paiement."],
           "copy_request": ["Nous paierons tout de suite ensuite.", "Il s'agit de {inv}."],
           "payment_plan_request": ["C'est une période difficile.", "Il s'agit de {amt}."],
           "wrong_contact": ["Cordialement."], "other": ["Bonne journée."]},
}
GREETINGS = {
    "nl": ["", "", "Goedemiddag,", "Beste,", "Hallo,", "Geachte heer/mevrouw,", "Hoi,"],
    "en": ["", "", "Hi,", "Hello,", "Dear Sir or Madam,", "Good morning,", "Hi there,"],
    "de": ["", "", "Hallo,", "Sehr geehrte Damen und Herren,", "Guten Tag,", "Moin,"],
    "fr": ["", "", "Bonjour,", "Madame, Monsieur,", "Bonsoir,", "Salut,"],
}
CLOSINGS = {
    "nl": ["", "", "Groet,", "Met vriendelijke groet,", "Mvg", "Gr."],
    "en": ["", "", "Regards,", "Best,", "Thanks,", "Cheers"],
    "de": ["", "", "Gruß", "Mit freundlichen Grüßen", "VG", "Beste Grüße"],
    "fr": ["", "", "Cordialement,", "Bien à vous,", "Merci,", "Bonne journée"],
}
AMOUNTS = {"nl": ["€ 450,00", "€1.210,50", "450 euro", "EUR 89,95"],
           "en": ["EUR 1,210.00", "£450", "€89.95", "$2,000"],
           "de": ["450,00 €", "1.210,50 EUR", "89,95 Euro", "€ 300"],
           "fr": ["450,00 €", "1 210,50 EUR", "89,95 euros", "300 €"]}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str, rng: random.Random) -> str:
    """One slip of the thumb: a swapped, dropped or doubled letter inside a word."""
    spots = [i for i in range(1, len(text) - 2) if text[i].isalpha() and text[i + 1].isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    how = rng.randrange(3)
    if how == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if how == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


def _fill(template: str, lang: str, rng: random.Random) -> str:
    slots = SLOTS[lang]
    return template.format(
        when=rng.choice(slots["when"]), past=rng.choice(slots["past"]), name=rng.choice(slots["name"]),
        inv=rng.choice(["F2025-{}", "INV-{}", "{}", "RE-2025-{}", "factuur {}"]).format(rng.randint(100, 99999))
        if "{inv}" in template else "", amt=rng.choice(AMOUNTS[lang]),
    )


def _phrasing(intent: str, lang: str, rng: random.Random) -> tuple[int, str]:
    template = rng.randrange(len(CORES[lang][intent]))
    core = _fill(CORES[lang][intent][template], lang, rng)
    if rng.random() < 0.3:
        core += " " + _fill(rng.choice(EXTRAS[lang][intent]), lang, rng)
    # A mixed-language answer: the greeting and sign-off in another language than the message.
    frame = rng.choice([x for x in LANGS if x != lang]) if rng.random() < 0.15 else lang
    parts = [rng.choice(GREETINGS[frame]), core, rng.choice(CLOSINGS[frame])]
    text = "\n".join(p for p in parts if p) if rng.random() < 0.6 else " ".join(p for p in parts if p)
    roll = rng.random()
    if roll < 0.15:
        text = text.lower()  # typed on a phone
    elif roll < 0.22:
        text = _fold(text)  # no accents on the keyboard
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        text = _typo(text, rng)
    if rng.random() < 0.1:
        text = text.rstrip(".!? ")
    return template, text


def phrasings(seed: int = SEED, per_cell: int = PER_CELL) -> list[dict[str, str | int]]:
    """`per_cell` distinct phrasings per intent and language, the same for the same seed; `template` names the core."""
    rng = random.Random(seed)
    rows: list[dict[str, str | int]] = []
    for intent in INTENTS:
        for lang in LANGS:
            seen: set[str] = set()
            tries = 0
            while len(seen) < per_cell:
                tries += 1
                if tries > per_cell * 200:
                    raise RuntimeError(f"too few building blocks for {intent}/{lang}")
                template, text = _phrasing(intent, lang, rng)
                if text not in seen:
                    seen.add(text)
                    rows.append({"text": text, "intent": intent, "lang": lang, "template": template})
    return rows


def main() -> None:
    rows = phrasings()
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} phrasings -> {OUT}")


if __name__ == "__main__":
    main()
