"""Phrases that signal each reply intent, in Dutch, English, German and French (matched on folded text)."""

from __future__ import annotations

import re

# Matched against `when.fold(text)`: lower case, accents removed ("déjà payé" -> "deja paye").
WRONG_CONTACT = re.compile(
    r"no longer (works?|working|employed|with (us|the company)|at)|(has|have) left (the company|us|our)|"
    r"left the company|not (the right|the correct|the responsible) (person|contact|department|address)|"
    r"wrong (person|address|contact|recipient|e-?mail)|not responsible for (invoices|payments|this)|"
    r"niet meer (werkzaam|in dienst|bij ons|actief)|werkt (hier )?niet meer|is uit dienst|uit dienst (getreden|gegaan)|"
    r"verkeerde (persoon|contactpersoon|adres|afdeling|e-?mail)|niet de (juiste|goede) (persoon|contactpersoon)|"
    r"(stuur|richt|mail) (de factuur |uw (bericht|mail|herinnering) )?(voortaan |graag )?naar|"
    r"please (send|address|direct) (it|this|invoices|your (mail|reminder)s?) to|"
    r"nicht mehr (bei uns|im unternehmen|fur uns tatig|beschaftigt)|hat (das unternehmen|uns) verlassen|"
    r"falsche(r|n)? (ansprechpartner|empfanger|adresse)|"
    r"ne (fait|travaille) plus (partie|chez|pour)|n'est plus (chez|dans|employe)|a quitte (la societe|l'entreprise)|"
    r"mauvais (destinataire|interlocuteur|contact)"
)
PAID = re.compile(
    r"\b(already|have|has|had|was|were|been|we|i|they)( \w+){0,3} (paid|settled|transferred|wired)\b|"
    r"\bpaid (it|this|that|the|on|yesterday|today|last|in full|via|by)\b|"
    r"payment (was|has been) (made|sent|done|executed|transferred)|(made|sent|executed) the payment|"
    r"\b(is|zijn|werd|werden|hebben|heb|hebt|heeft|reeds|al)( [\w/-]+){0,5} "
    r"(betaald|voldaan|overgemaakt|overgeboekt)\b|"
    r"betaling (is|werd) (\w+ )?(gedaan|verricht|uitgevoerd|verstuurd|overgemaakt)|"
    r"\b(bereits|schon|wurde|wurden|haben|habe|hat|ist)( \w+){0,5} (bezahlt|uberwiesen|beglichen)\b|"
    r"\b(deja|avons|ai|a ete|ont ete|est|sont)( \w+){0,4} (payee?s?|reglee?s?|viree?s?)\b|"
    r"virement (a ete |est )?effectue"
)
NOT_PAID = re.compile(
    r"(not|never|n't|nog niet|niet|nicht|noch nicht|pas encore|pas) (yet )?(been )?(paid|betaald|voldaan|"
    r"overgemaakt|bezahlt|uberwiesen|paye|regle)|unable to pay|kunnen niet betalen"
)
DISPUTE = re.compile(
    r"dispute|disagree|do not agree|don't agree|not agree|object to|complain|complaint|incorrect|not correct|"
    r"is wrong|are wrong|wrong (amount|price|invoice|rate|quantity)|overcharged|charged twice|"
    r"double(d)? (charged|invoiced)|"
    r"never (ordered|received the goods|received the order|delivered)|not (been )?(delivered|received the goods)|"
    r"damaged|defective|broken|credit note|refuse to pay|will not pay|won't pay|not going to pay|"
    r"niet akkoord|niet eens|oneens|betwist|bezwaar|klacht|klopt niet|kloppen niet|onjuist|niet correct|foutief|"
    r"fout bedrag|"
    r"te veel (berekend|gefactureerd)|dubbel (berekend|gefactureerd)|nooit (besteld|geleverd)|"
    r"(goederen|bestelling|levering|producten) (nooit|niet) ontvangen|"
    r"niet (geleverd|ontvangen wat|besteld)|beschadigd|kapot|defect|creditnota|creditfactuur|"
    r"weigeren (te )?betalen|betalen (wij|we|ik) niet|gaan (wij |we |ik )?niet betalen|"
    r"widerspruch|widerspreche|reklamation|beanstand|stimmt nicht|falsch(e|en)? (betrag|rechnung|preis)|"
    r"nicht (geliefert|bestellt)|gutschrift|zahlen (wir|ich) nicht|"
    r"contest(e|ons|ez|ation)|litige|pas d'accord|en desaccord|erreur|errone|incorrecte?|jamais (commande|recu|livre)|"
    r"pas (ete )?livre|reclamation|avoir\b|refusons de payer"
)
COPY_REQUEST = re.compile(
    r"(send|resend|forward|email|mail) (me |us )?(a |another )?(copy|duplicate|the invoice|the pdf|it again)|"
    r"copy of (the|this|your|that) invoice|invoice copy|"
    r"(didn't|did not|never|haven't|have not|not) (yet )?received? (the|any|your|an|this) invoice|"
    r"can't find the invoice|cannot find the invoice|"
    r"kopie (van )?(de |die |deze )?factuur|factuurkopie|factuur (nog|nogmaals|opnieuw|nog een keer)( eens)? "
    r"(toe)?(sturen|versturen|mailen|zenden)|(stuur|mail|zend) (ons |mij |me )?(de|die|deze) factuur|"
    r"factuur (niet|nooit|nog niet) ontvangen|geen factuur ontvangen|factuur kwijt|"
    r"rechnungskopie|kopie der rechnung|rechnung (nochmals|erneut|noch einmal) (zusenden|senden|schicken)|"
    r"rechnung nicht erhalten|keine rechnung erhalten|"
    r"copie de (la|votre|cette) facture|duplicata|renvoyer la facture|pas recu (la|de) facture"
)
PAYMENT_PLAN = re.compile(
    r"payment (plan|arrangement|schedule)|instal+ments?|pay in (parts|terms|installments)|spread (the )?payments?|"
    r"can(not|'t) pay (it |this |the (full )?amount )?(all )?at once|pay (it )?(off )?monthly|"
    r"betalingsregeling|betaalregeling|afbetalingsregeling|in termijnen|gespreid (betalen|betaling)|"
    r"(niet|kan niet) in (een|1) keer|per maand (afbetalen|betalen)|maandelijks (afbetalen|betalen)|"
    r"ratenzahlung|in raten|teilzahlung|zahlungsplan|ratenplan|"
    r"echeancier|paiement (en plusieurs fois|echelonne)|plan de paiement|etaler (le|les) paiements?"
)
PROMISE = re.compile(
    r"(will|shall|going to|'ll|plan to|intend to|promise to|expect to) (be )?(pay|paid|settle|settled|transfer|"
    r"transferred|process|processed|wire)|payment (will|is scheduled|is planned|goes out|will go out)|"
    r"(transfer|payment) (goes|will go) out|scheduled (for )?payment|pay (it |this |the invoice )?(on|by|before|"
    r"next|tomorrow|today|this|at the end)|"
    r"(zal|zullen|wordt|worden|ga|gaan) (\S+ ){0,4}(betaald|voldaan|overgemaakt|betalen|overmaken|voldoen)|"
    r"(betalen|voldoen|maken) (we|wij|ik) (\w+ ){0,3}(over|het|de|deze|dit|uiterlijk|volgende|morgen|vrijdag|"
    r"maandag|dinsdag|woensdag|donderdag|eind|begin|op|voor|na)|betaling (volgt|staat (ingepland|klaar|gepland))|"
    r"(wird|werden|werde) (\w+ ){0,4}(bezahlt|uberwiesen|beglichen|bezahlen|uberweisen|begleichen)|"
    r"(zahlen|uberweisen|begleichen) (wir|ich)|"
    r"(sera|seront|allons|vais|va) (\w+ ){0,3}(payee?s?|reglee?s?|payer|regler|virer|effectuer le (paiement|virement))|"
    r"(payerons|reglerons|virerons)"
)
# Any verb of paying (tense and negation left to the caller): with a date ahead it makes a promise.
PAY_VERB = re.compile(
    r"\b(pay|paying|paid|payment|transfer|settle|wire|betaal|betaalt|betalen|betaling|overmaken|overmaak|"
    r"(maak|maken|maakt) .{0,40}\bover\b|voldoen|voldoe|bezahlen|zahlen|zahle|zahlung|uberweisen|uberweisung|"
    r"begleichen|payer|payons|paierai|paierons|regler|reglerons|virement|paiement)"
)
