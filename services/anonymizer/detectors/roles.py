"""Role-based defaults: every person name, self-description and phone number gets a role.

The cue rules elsewhere find what the text *says* is the reporter's. This pass turns the default
around: a person name deduce recognises is kept only when the text shows it is a subject (or a
shop); anything else (the reporter, relatives, witnesses, neighbours, unknown) is removed.
First-person (and caller-attributed) job, health and unique-position statements are removed up to
the clause boundary, and a phone number of unknown owner is removed on channels where the
reporter's own number is likely to be typed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from services.anonymizer.detectors.base import Span, fold
from services.anonymizer.detectors.names import PARTICLES

DEDUCE_OTHER_GROUPS = frozenset({"dates", "ages", "identifiers", "phone_numbers", "email_addresses", "urls"})
# Capitalised words deduce can read as a name that are not one here.
NOT_NAMES = frozenset(
    "my i me we the a an mijn ik wij ons een baas volgens toen daarna ook maar en dus want gisteren "
    "vandaag samen met bij over tegen zelfs echter verder later eerst ineens opeens according".split()
)
# Brands and vehicles that are also first names or surnames ("Mercedes", "Seat", "Mini", "Max").
BRANDS = re.compile(
    r"\b(?:mercedes|range\s+rover|rover|skoda|seat|nike|adidas|audi|bmw|volkswagen|vw|mini|yamaha|t-max|max|"
    r"tesla|porsche|toyota|opel|renault|peugeot|fiat|ford|kia|volvo|citroen|citroën|dacia|hyundai|nissan|"
    r"mazda|suzuki|honda|vespa|piaggio|gucci|lidl|aldi|jumbo|action|hema|kruidvat|albert\s+heijn|iphone|"
    r"samsung|apple|sprinter|vito|crafter|transit|octavia|fabia|leon|golf|polo|caddy)\b",
    re.IGNORECASE,
)
# A thing or a place, not a person: "een zwarte Range Rover", "op de Schulpen", "aan Zee", "park De Hoef".
THING_BEFORE = re.compile(
    r"(?:\b(?:de|het|the|te|op|richting|langs|in|at|on|near)\s*$|(?-i:[A-Z])\w+\s+aan\s+(?:den\s+|de\s+)?$|"
    r"\b\w*(?:zwart|wit|grijs|grijz|rood|rod|blauw|groen|geel|gel|zilver|donker\w*|licht\w*|mat|oud|nieuw|"
    r"black|white|grey|gray|red|blue|green|silver|dark|old|new)(?:e|en|te)?\s+$|"
    r"\b\w*(?:park|terrein|plein|straat|weg|laan|wijk|buurt|station|haven|centrum|boulevard|dorp|stad|"
    r"kade|gracht|dijk|polder)\s+$)",
    re.IGNORECASE,
)

_F = re.IGNORECASE

# Words naming the person a report is about, right before their name ("de dealer Sjaak").
SUBJECT_NOUNS = (
    r"man|vrouw|jongen|meisje|gast|kerel|vent|knul|eigenaar|eigenares|verdachte|dader|dealer|uitbater|"
    r"uitbaatster|huurder|bewoner|bewoonster|baas|huisbaas|verhuurder|pooier|loverboy|oplichter|verkoper|"
    r"chauffeur|leider|voorman|ploegbaas|koppelbaas|uitzendbureau|exploitant|directeur|vriendje|vriend|"
    r"zoon|broer|neef|dochter|zus|guy|man|woman|owner|suspect|dealer|landlord|landlady|boss|tenant|"
    r"driver|seller|scammer|pimp|manager|boyfriend|foreman|gang|groep|bende|figuur|type|persoon|person"
)
# Determiners of a third party: not "mijn buurvrouw", but "de buurman", "die gast", "een man".
SUBJECT_BEFORE = re.compile(
    rf"(?:\b(?:de|die|deze|een|het|the|that|this|a|an|zijn|haar|hun|his|her|their)\s+(?:[\w\-]+\s+){{0,2}}"
    rf"(?:{SUBJECT_NOUNS}|\w*(?:dealer|baas|eigenaar|buurman|buurvrouw|buurjongen|bewoner|huurder))"
    r"\s*[,:]?\s*(?:(?:heet|heten|genaamd|called|named|is|zou)\s+)?['\"‘“]?$)",
    _F,
)
NAMING_BEFORE = re.compile(
    r"(?:\b(?:genaamd|genoemd|bijnaam|bijnamen|alias|bekend\s+als|bekend\s+onder|noemen\s+ze|noemt\s+zich|"
    r"noemde\s+zich|noemen\s+hem|noemen\s+haar|zich|noemt|noemen|call\s+(?:him|her)|calls?|"
    r"(?:call|calls|called|noemen|noemt|noemde|genoemd)\s+(?:him|her|hem|haar)?\s*[A-Z][\w\-]+|"
    r"heet\s+hij|heet\s+zij|called|named|known\s+as|goes\s+by|"
    r"calls\s+himself|calls\s+herself|nickname|aka|a\.k\.a\.|(?:hij|zij|ze|he|she)\s+(?:heet|heette|heten|is|was|is\s+called)|"
    r"(?:zijn|haar|his|her|their)\s+(?:naam|name)\s+is|van\s+(?:ene|een\s+zekere)|ene|een\s+zekere|"
    r"a\s+certain|(?:op\s+naam\s+van|in\s+(?:the\s+)?name\s+of|t\.n\.v\.?|tnv))\s*[,:]?\s*['\"‘“(]?$)",
    _F,
)
# What a subject does, right after their name ("Sjaak verkoopt", "Ahmed (30) dealt").
SUBJECT_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,30}\)\s*)?,?\s*(?:['\"’”]\s*)?(?:noem\w*|genoemd|heet|heette|wordt\s+genoemd)\b|"
    r"^\s*,?\s*(?:hij|zij|ze|he|she)\s+(?:is|was)\s+(?:degene|diegene|de\s+man|de\s+vrouw|the\s+one|the\s+guy|"
    r"the\s+man|the\s+woman)\b|"
    r"^\s*(?:\([^)]{0,30}\)\s*)?,?\s*(?:(?:die|who|that|van|zelf|ook|al|dan|nog|er|daar|ook|weer|steeds|elke|"
    r"altijd|vaak|always|often|also|still)\s+){0,3}"
    r"(?:verkoop\w*|verko(?:cht|opt)\w*|deal\w*|sla\w*|sloeg\w*|bedreig\w*|rijd\w*|rijdt|reed|woont\s+(?:daar|er|in|op|aan|boven|naast)|"
    r"handel\w*|run\w*|regelt|regelde|laat|liet|houdt|hield|pakt|pakte|werkt\s+zwart|verhuur\w*|levert|leverde|"
    r"stal|steelt|steelde|intimideer\w*|intimideert|mishandel\w*|schopt|schopte|dreigt|dreigde|chanteert|"
    r"uitbuit\w*|buit\s+\w+\s+uit|fraudeert|oplicht|licht\s+\w+\s+op|haalt|haalde|brengt|bracht|"
    r"sells|sold|deals|dealt|hits|hit|beats|beat|threaten\w*|runs|ran|drives|drove|lives\s+(?:there|at|in|on)|"
    r"steals|stole|sends|sent|collects|collected|is\s+(?:de|het|een|the|a|an)\s+(?:[\w\-]+\s+){0,2}"
    rf"(?:{SUBJECT_NOUNS}|\w*dealer|\w*baas|\w*eigenaar)\b|heeft\s+(?:een|de|het)\s+\w*(?:zaak|bedrijf|winkel|shop|garage|"
    r"kwekerij|loods)|noemen|genoemd|wordt\s+genoemd|zoals\s+ze\s+hem|as\s+they\s+call|they\s+call)",
    _F,
)
# Shops and firms named after a person ("Snackbar Kevin", "Garage Bakker", "Bakker Transport").
BUSINESS = re.compile(
    r"\b\w*(?:bedrijf|super|markt|winkel|verhuur|handel|bouw|service|services|wash|shop|store|zaak|"
    r"centrum|kwekerij|derij|erij|studio|salon|bureau|lounge)\b|\b(?:snackbar|snackbar|cafetaria|café|cafe|bar|restaurant|pizzeria|shoarma|grillroom|kapsalon|kapper|"
    r"barbershop|nagelstudio|garage|autobedrijf|bakkerij|slagerij|supermarkt|toko|winkel|shop|store|"
    r"transport\w*|bouwbedrijf|bedrijf|firma|handel|holding|groep|loonbedrijf|uitzendbureau|staffing|"
    r"bv|b\.v\.|vof|v\.o\.f\.|en\s+zn|&\s*zn|& zonen|makelaardij|vastgoed|schoonmaak\w*|installatie\w*|"
    r"hotel|pension|camping|sportschool|gym|coffeeshop|tabak|telecom|belhuis|import|export|company|ltd|"
    r"inc|services|logistics|logistiek|kwekerij|salon|studio|massage|sauna|club|stichting|school)\b",
    _F,
)
# People one's own who are usually the subject of a report ("mijn voetbaltrainer, Rob ...").
POSSESSIVE_SUBJECT = re.compile(
    r"\b(?:mijn|m[''’]?n|mn|my|onze|our)\s+(?:[\w\-]+\s+)?\w*(?:trainer|coach|leraar|lerares|docent|baas|chef|"
    r"manager|huisbaas|verhuurder|werkgever|leidinggevende|stiefvader|stiefmoeder|ex|ex-man|ex-vrouw|ex-vriend|"
    r"ex-vriendin|ex-partner|landlord|landlady|boss|employer|teacher|stepfather|ex-husband|ex-wife|ex-boyfriend)"
    r"\s*[,:]?\s*$",
    _F,
)
NATIONALITY = re.compile(
    r"(?:Duits|Pools|Bulgaars|Roemeens|Belgisch|Frans|Engels|Turks|Marokkaans|Litouws|Lets|Oekraïens|Russisch|"
    r"Hongaars|Spaans|Italiaans|Albanees|German|Polish|Belgian|French|Dutch|Nederlands)e?"
)
# Line labels of a form or list: "Verdachte: Ronnie".
LABEL_BEFORE = re.compile(
    r"(?:^|\n)\s*(?:naam\s+)?(?:verdachte|dader|suspect|eigenaar|owner|bestuurder|driver|dealer|wie|who|"
    r"betrokkene|persoon|naam\s+verdachte|name\s+of\s+suspect)\s*:\s*$",
    _F,
)
# What a subject does somewhere later in the same clause ("Meneer Jansen belt ... en verkoopt zakjes").
SUBJECT_VERB_LATER = re.compile(
    r"^(?:(?!\b(?:hij|zij|ze|he|she|they|dat|that|ik|i|mij|me|we|wij|was|werd|wordt|is|been|being|got|gets|"
    r"door|by)\b)[^.!?\n]){0,60}?\b(?:verkoopt|verkocht|"
    r"dealt|dealen|teelt|kweekt|slaat|sloeg|bedreigt|bedreigde|mishandelt|intimideert|chanteert|perst|"
    r"sells|sold|deals|dealt|grows|hits|beats|threatens|threatened|exploits)\b",
    _F,
)
APPOSITIVE_AFTER = re.compile(
    rf"^[^.!?\n,]{{0,12}},\s*(?:de|het|die|the|een|a|an)\s+(?:[\w\-]+\s+){{0,2}}(?:{SUBJECT_NOUNS}|\w*(?:dealer|baas|eigenaar))\b",
    _F,
)
THIRD_PERSON_START = re.compile(
    r"^\s*(?:hij|zij|ze|he|she|they|de\s+dealer|de\s+verdachte|de\s+eigenaar)\b", _F
)
CALL_TAKER = re.compile(
    r"\b(?:melder|melderes|beller|belster|caller|reporter)\b|\b(?:mevrouw|meneer|mevr|mw|dhr)\.?\s+(?:\w+\s+){0,3}(?:belt|belde)\b",
    _F,
)
# A nickname: an adjective-like word before a first name ("Bolle Ger", "Snelle Dirk", "Ome Kees").
_NICK = (
    r"(?:[A-Z][a-z]+(?:e|en|ie)|Ome|Oom|Tante|Lange|Dikke|Kleine|Grote|Gekke|Rooie|Zwarte|Witte|"
    r"Big|Little|Fat|Crazy|Mad)"
)
NICKNAME = re.compile(rf"({_NICK})\s+[A-Z]")
NICKNAME_BEFORE = re.compile(rf"[\w,]\s+({_NICK})\s+$")
HONORIFIC_START = re.compile(r"(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|mr\.?|mrs\.?|ms\.?)\s", _F)
OWN_PERSON_BEFORE = re.compile(
    r"\b(?:mijn|m[''’]?n|mn|my|onze|ons|our)\s+(?:[\w\-]+\s+)?[\w\-]+\s*[,:]?\s*$", _F
)
# Chat style: "mn buurvrouw anja" (deduce only sees capitalised names).
OWN_LOWER_NAME = re.compile(r"\b(?:mijn|m[''’]?n|mn|my|onze|ons|our)\s+[a-z\-]+\s+([a-z][a-z\-]{1,15})\b")
# An apposition after a third party: "De uitvoerder, Sietse,", "the director, Erik Holm,".
APPOSITIVE = re.compile(
    r"\b(?:de|die|deze|the|that|een|a|an)\s+(?:[\w\-]+\s+)?"
    r"[\w\-]*(?:er|eur|ant|ent|aar|man|vrouw|vader|moeder|baas|dealer|eigenaar|or|ist|ier|te|ster|es|arts|"
    r"coach|chef|boss|owner|landlord|guy)"
    r"\s*,\s*(?:(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|hr\.?|dr\.?|mr\.?|mrs\.?|ms\.?|de\s+heer)\s*)?$",
    _F,
)
# The reporter speaking of themselves or the call-taker of the caller: the name that follows is theirs.
REPORTER_BEFORE = re.compile(
    r"(?:(?:^|\n)\s*(?:hallo|hoi|goedemiddag|goedemorgen|goedenavond|hey|hi|hello)?[\s,]*met\s*$|"
    r"\b(?:ik\s+ben|ik\s+heet|mijn\s+naam\s+is|m[''’]?n\s+naam\s+is|namens|i\s+am|i[''’]m|my\s+name\s+is|"
    r"this\s+is|melder|melderes|beller|belster|caller|reporter|mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|mr\.?|mrs\.?|"
    r"ms\.?|miss)\s*(?:(?:heet|is|genaamd|called|named)\s+)?[,:]?\s*$)",
    _F,
)
FIRST_PERSON_OR_CALLER = re.compile(
    r"\b(?:ik|mij|me|mijn|m[''’]?n|mn|wij|we|ons|onze|i|my|mine|melder|melderes|beller|caller|reporter)\b", _F
)

# --- self-descriptions ---------------------------------------------------------------------------

_PERSON = (
    r"(?:ik|i|we|wij|melder|melderes|beller|belster|mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|"
    r"(?:the\s+)?caller|(?:the\s+)?reporter|de\s+melder|de\s+beller)"
)
SELF_DESCRIPTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b{_PERSON}\s+(?:zelf\s+|ook\s+|nog\s+|al\s+|daar\s+|er\s+|sinds\s+\w+\s+)*"
            r"(?:werk|werkt|werkte|werkten|work|works|worked|am\s+working|is\s+working|was\s+working)\s+"
            r"(?:(?:zelf|ook|nog|al|daar|er|hier|sinds\s+\w+|there|here|also|(?:tot|until)\s+\w+(?:\s+jaar|\s+year)?)\s+)*(?:als|bij|in|op|voor|as|at|in|for)\b",
            _F,
        ),
        "job",
    ),
    (
        re.compile(
            rf"\b{_PERSON}\s+(?:used\s+to\s+work|heb\s+(?:daar\s+|er\s+)?(?:jaren\s+)?gewerkt\s+(?:als|bij))\b",
            _F,
        ),
        "job",
    ),
    (
        re.compile(
            r"\b(?:mijn|m[''’]?n|mn|my)\s+(?:werk|baan|job|werkgever|employer|werkplek|workplace)\b", _F
        ),
        "job",
    ),
    (re.compile(r"\b(?:ik\s+was|i\s+was)\s+[\w\-]+\s+(?:tot|until)\b", _F), "job"),
    (
        re.compile(
            r"\b(?:ik\s+ben|i\s+am|i[''’]m|melder\s+is)\s+\d{1,3}\s*(?:jaar\s+)?(?:oud\s+)?"
            r"(?:(?:en|and|,)\s+(?!(?:mijn|m[''’]?n|mn|my|de|het|een|the|a|ik|i|we|wij)\b)[^\W\d_]+\b)?",
            _F,
        ),
        "age",
    ),
    (
        re.compile(
            r"\b(?:ik|melder|i)\s+(?:zit|zat|ben|am|was|is|loop|use|gebruik)\s+(?:zelf\s+|ook\s+)?(?:in\s+(?:een|a)\s+"
            r"(?:rolstoel|scootmobiel|wheelchair|mobility\s+scooter)|(?:blind|doof|slechtziend|slechthorend|"
            r"gehandicapt|invalide|deaf|disabled)\b|met\s+(?:een\s+)?(?:rollator|stok|krukken|blindengeleidehond)|"
            r"with\s+a\s+(?:walker|cane|guide\s+dog))",
            _F,
        ),
        "health",
    ),
    (
        re.compile(
            r"\b(?:mijn|m[''’]?n|mn|my|onze|our)\s+(?:zoon|dochter|kind|kinderen|son|daughter|child|kids)\s+"
            r"(?:zit|zitten|gaat|gaan|is|are|goes|go)\s+(?:in|op|naar|to|at)\s+(?:groep|klas|de\s+klas|class|year|"
            r"de\s+\w+school|het\s+\w+|school|de\s+school|the\s+\w+\s+school)",
            _F,
        ),
        "school",
    ),
)
# Later words that make a named employer the subject of the report ("... en de eigenaar betaalt zwart").
EMPLOYER_IS_SUBJECT = re.compile(
    r"\b(?:eigenaar|eigenaresse|baas|boss|owner|werkgever|employer|directeur|director|zwart|contant|cash|"
    r"loon|salaris|salary|wages?|uitbetaald|paid|pays|betaalt|betalen|contract|loonstrook|payslip|"
    r"administratie|boeken|books|invoice|factu\w*|uitbuit\w*|exploit\w*)\b",
    _F,
)
CHILD_CLASS = re.compile(
    r"\b(?:(?:zit|zitten|gaat|gaan|goes|go|is|are)\s+(?:op|naar|to|at)\s+(?:(?:de|het|the)\s+)?(?-i:[A-Z])[\w\-]+"
    r"(?:\s+(?-i:[A-Z])[\w\-]+)*(?:\s+(?:in|uit)\s+(?:groep|klas)\s+\d{1,2}\w?)?|"
    r"(?:in|uit|van|from|in)\s+(?:groep|klas|class|year|grade)\s+\d{1,2}[a-z]?)\b",
    _F,
)
UNIQUE = re.compile(
    r"\b(?:de|het|the)\s+(?:enige|only)\s+(?!die\b|dat\b|one\s+who\b|keer\b|time\b|way\b)", _F
)
CLAUSE_BOUNDARY = re.compile(
    r"[.!?;\n]|,\s|\s(?:en|maar|want|dus|toen|and|but|so|when)\s+(?:ik|i|ze|hij|zij|er|daar|het|ziet|zag|hoort|"
    r"hoorde|heeft|had|wil|sees|saw|hears|heard|has|had|wants)\b",
    _F,
)
SUBJECT_SPEAKER = re.compile(r"\b(?:hij|zij|ze|he|she|they|de\s+\w+|the\s+\w+)\s*$", _F)

# --- phones --------------------------------------------------------------------------------------

PHONE_SUBJECT = re.compile(
    r"\b(?:zijn|haar|hun|z[''’]?n|d[''’]?r|his|her|their|hij|zij|ze|ie|he|she|they|dealer|\w*dealer|\w*deeler|verdachte|oplichter|"
    r"eigenaar|verkoper|scammer|seller|suspect|owner|advertentie|advert|ad|flyer|site|website|marktplaats|"
    r"bedrijf|firma|company|appje|appjes|app|bericht|berichten|sms|sms'je|message|messages|text|whatsapp|"
    r"gebeld\s+door|belde|belt|appte|appt|texted|called|vanaf|from|afzender|sender|nummer\s+van|number\s+of|"
    r"onbekend|unknown|nep|fake)\b",
    _F,
)
REPORTER_CHANNELS = frozenset({"phone", "whatsapp", "email"})


@dataclass(frozen=True, slots=True)
class NameRole:
    start: int
    end: int
    text: str
    role: str  # "subject", "company", "reporter", "third"


class RoleJudge:
    """Person names from deduce, with the role the text gives them."""

    def __init__(self, deduce: Any) -> None:
        self._deduce = deduce
        self._first_names = deduce.lookup_structs["first_name"]
        self._stop_words = deduce.lookup_structs["stop_word"]
        self._common_words = deduce.lookup_structs["common_word"]

    def _not_a_name(self, token: str) -> bool:
        low = token.lower()
        if low in PARTICLES:
            return False  # "Van Dijk", "De Vries": part of the name
        return (
            low in NOT_NAMES
            or low in self._stop_words
            or (low in self._common_words and not self._is_first_name(token))
        )

    def _is_first_name(self, token: str) -> bool:
        return bool([token] in self._first_names)

    def person_names(self, text: str) -> list[tuple[int, int, str]]:
        doc = self._deduce.deidentify(text, disabled=set(DEDUCE_OTHER_GROUPS))
        out = []
        for ann in doc.annotations:
            if ann.tag not in ("persoon", "patient", "voornaam_onbekend", "naam", "person"):
                continue
            start, value = ann.start_char, ann.text
            if re.match(r"(?:aan|op|in|bij|naar|uit|langs|van\s+de|van\s+het)\s", value):
                continue  # a place phrase deduce read as a name ("aan de Haven")
            # Drop a leading capitalised function word deduce took in ("My", "De").
            while True:
                m = re.match(r"([^\W\d_]+)\s+", value)
                if not (m and self._not_a_name(m.group(1)) and len(value) > m.end()):
                    break
                start, value = start + m.end(), value[m.end() :]
            if value.lower() in NOT_NAMES:
                continue
            out.append((start, ann.end_char, value))
        return sorted(out)

    def name_spans(
        self, text: str, subject_terms: set[str], taken: Iterable[tuple[int, int]], *, subject_field: bool
    ) -> list[Span]:
        taken = list(taken)
        names = [n for n in self.person_names(text) if not any(s < n[1] and n[0] < e for s, e in taken)]
        roles = [self.role(text, s, e, subject_terms) for s, e, _ in names]
        # A name once shown to be a subject keeps that role everywhere in the text.
        subject_tokens = {
            t
            for (s, e, _), r in zip(names, roles, strict=True)
            if r in ("subject", "company")
            for t in _tokens(text[s:e])
        }
        spans = []
        for m in OWN_LOWER_NAME.finditer(text):
            word = m.group(1)
            if (
                self._is_first_name(word.capitalize())
                and not self._not_a_name(word)
                and not any(s < m.end(1) and m.start(1) < e for s, e in taken)
                and not POSSESSIVE_SUBJECT.search(text[: m.start(1)])
                and not SUBJECT_AFTER.match(text[m.end(1) : m.end(1) + 80])
                and not SUBJECT_VERB_LATER.match(text[m.end(1) : m.end(1) + 80])
            ):
                spans.append(Span(m.start(1), m.end(1), "third_name", "roles", "name-own-circle-lowercase"))
        for (s, e, value), role in zip(names, roles, strict=True):
            if role in ("subject", "company", "thing"):
                continue
            if role == "third" and (set(_tokens(value)) & subject_tokens or subject_field):
                continue
            kind = "name" if role == "reporter" else "third_name"
            spans.append(Span(s, e, kind, "roles", f"name-{role}"))
        return spans

    def role(self, text: str, start: int, end: int, subject_terms: set[str]) -> str:
        value = text[start:end]
        tokens = _tokens(value)
        if tokens and any(_term_has(term, tok) for term in subject_terms for tok in tokens if len(tok) >= 3):
            return "subject"
        before = text[max(0, start - 60) : start]
        after = text[end : end + 80]
        if OWN_PERSON_BEFORE.search(before) and not POSSESSIVE_SUBJECT.search(before):
            if SUBJECT_AFTER.match(after) or SUBJECT_VERB_LATER.match(after):
                return "subject"  # "Mijn buurman Gerrit verkoopt de pillen"
            return "third"  # "mijn buurvrouw Mercedes": a person of the reporter's, whatever the word
        if (
            BRANDS.search(value)
            or NATIONALITY.fullmatch(value)
            or re.match(r"^\s*(?:kenteken|nummerbord|plate|auto|car)\b", after, _F)
            or re.match(r"^\s*\d", after)
            or re.match(r"^\s*-?\w*(?:klasse|tasje|tas)\b", after)
        ):
            return "thing"
        if THING_BEFORE.search(before) and not SUBJECT_BEFORE.search(before):
            return "thing"
        if (
            BUSINESS.search(value)
            or re.search(r"\b(?:bij|van|at)\s*$", before)
            and BUSINESS.match(after.lstrip())
        ):
            return "company"
        prev = re.findall(r"[\w\-&.']+", before)
        while len(prev) > 1 and (prev[-1].lower() in PARTICLES or prev[-1].lower() in ("chez", "il", "the")):
            prev.pop()
        if prev and (BUSINESS.fullmatch(prev[-1]) or prev[-1] == "&"):
            return "company"
        if re.match(r"^\s*(?:b\.?v\.?|v\.?o\.?f\.?|&\s*(?:zn|zonen|co)|transport|bouw|holding)\b", after, _F):
            return "company"
        if LABEL_BEFORE.search(before) or re.search(r"(?:^|\n)\s*$", before) and re.match(r"^\s*:", after):
            return "subject"  # a form line, or a chat speaker the reporter's own chat rules did not claim
        if re.search(r"\b(?:over|about)\s*$", before, _F) or APPOSITIVE_AFTER.match(after):
            return "subject"
        if SUBJECT_VERB_LATER.match(after):
            return "subject"
        sentence = before[_last_boundary(before) :]
        if (
            THIRD_PERSON_START.match(sentence)
            and not FIRST_PERSON_OR_CALLER.search(sentence)
            and not CALL_TAKER.search(text)
        ):
            return "subject"  # someone in the suspect's doings: "Hij had een afspraak met Ronnie"
        nick = NICKNAME.match(value) or NICKNAME_BEFORE.search(before)
        if nick and not self._is_first_name(nick.group(1)):
            return "subject"
        if HONORIFIC_START.match(value) and not before[_last_boundary(before) :].strip():
            return "reporter"  # "Mevrouw Van Dijk wil weten ...": the caller, in call-taker notes
        if NAMING_BEFORE.search(before) or _quoted(text, start, end):
            return "subject"
        clause0 = before[_last_boundary(before) :]
        clause0 = clause0[clause0.rfind(",") + 1 :]
        if APPOSITIVE.search(before):
            return "subject"
        if REPORTER_BEFORE.search(before):
            return "reporter"
        if re.search(
            r"\b(?:heet|heette|heten|is\s+genaamd|is\s+called|is\s+named|name\s+is)\b[^,]{0,25}$", clause0, _F
        ) and not (
            FIRST_PERSON_OR_CALLER.search(clause0)
            or re.search(
                r"\b(?:mevrouw|meneer|mevr|mw|dhr|vader|moeder|zoon|dochter|(?:man|vrouw)\s+van\s+melder)\b",
                clause0,
                _F,
            )
        ):
            return "subject"
        clause = before[_last_boundary(before) :]
        if POSSESSIVE_SUBJECT.search(before):
            return "subject"
        if SUBJECT_BEFORE.search(before) and not re.search(
            r"\b(?:mijn|m[''’]?n|mn|my|onze|our)\s+\w*\s*$", clause
        ):
            return "subject"
        if SUBJECT_AFTER.match(after):
            return "subject"
        return "third"

    # --- self-descriptions -------------------------------------------------------------------

    def self_description_spans(self, text: str) -> list[Span]:
        spans = []
        for pattern, rule in SELF_DESCRIPTIONS:
            for m in pattern.finditer(text):
                if (
                    rule == "job"
                    and re.search(r"\b(?:bij|at|for|voor|in|op|werkgever|employer)$", m.group(), _F)
                    and re.match(r"\s+(?:(?:het|de|the)\s+)?[A-Z]", text[m.end() :])
                ):
                    if _workplace_is_topic(text, m.end()):
                        continue  # a named employer the report is about: the employer rules judge it
                end = m.end() if rule == "age" else _clause_end(text, m.end())
                if (
                    rule == "job"
                    and not text[m.end() : end].strip()
                    and re.search(r"(?:for|voor)$", m.group())
                ):
                    continue  # "the company I worked for, X": nothing about the reporter beyond the employer
                if (
                    re.search(r"\b(?:als|as)\s*$", m.group(), _F)
                    or rule == "job"
                    and re.search(r"\b(?:als|as)\b", text[m.end() : end], _F)
                ):
                    # The job is the reporter's; where it is done may be the subject
                    # ("as a cleaner at car wash X").
                    place = re.compile(r"\s(?:at|bij|op|in|aan|on|for|voor|near)\s", _F).search(
                        text, m.end(), end
                    )
                    if place and _workplace_is_topic(text, m.end()):
                        end = place.start()
                spans.append(Span(m.start(), end, "self_description", "roles", f"self-{rule}"))
        for m in CHILD_CLASS.finditer(text):
            sentence = text[_sentence_start(text, m.start()) : _sentence_end(text, m.end())]
            if re.search(
                r"\b(?:ik|i|mijn|m[''’]?n|mn|my|onze|our|melder|caller|reporter)\b", sentence, _F
            ) and re.search(
                r"\b(?:zoon|dochter|kind|kinderen|son|daughter|child|kids|moeder|vader|mother|father)\b",
                sentence,
                _F,
            ):
                spans.append(Span(m.start(), m.end(), "self_description", "roles", "self-school"))
        for m in UNIQUE.finditer(text):
            sent_start = _sentence_start(text, m.start())
            sentence = text[sent_start : _sentence_end(text, m.end())]
            lead = text[sent_start : m.start()]
            if (
                not FIRST_PERSON_OR_CALLER.search(sentence)
                or SUBJECT_SPEAKER.search(lead[-20:])
                and not (FIRST_PERSON_OR_CALLER.search(lead[-25:]))
            ):
                continue
            spans.append(
                Span(m.start(), _clause_end(text, m.end()), "self_description", "roles", "self-unique")
            )
        return spans

    # --- phones --------------------------------------------------------------------------------

    @staticmethod
    def unknown_phone_is_reporters(text: str, start: int, end: int, channel: str | None) -> bool:
        """A number nobody claims is the reporter's on phone/WhatsApp/e-mail.

        Unless its sentence points at someone else ("zijn nummer", "appje vanaf") or it is quoted.
        """
        if channel not in REPORTER_CHANNELS:
            return False
        lead = text[_sentence_start(text, start) : start]
        if re.search(r"\b(?:bsn|burgerservicenummer|sofinummer)\b", lead, _F):
            return False  # a BSN, judged by the BSN rules
        if _quoted(text, start, end):
            return False
        tail = text[end : _sentence_end(text, end)][:40]
        if re.match(
            r"^\W*(?:van\s+(?:de|het|die|hem|haar|zijn|z[''’]?n|deze)|of\s+(?:the|his|her)|staat\s+op|stond\s+op)\b",
            tail,
            _F,
        ):
            return False  # "06-... van de dealer", "06-... staat op de flyer"
        return not PHONE_SUBJECT.search(lead)


def _workplace_is_topic(text: str, pos: int) -> bool:
    """The reporter's workplace is what the report is about, or where they see it happen: keep it."""
    if EMPLOYER_IS_SUBJECT.search(text, pos):
        return True
    rest = text[pos : _sentence_end(text, pos)]
    return bool(
        re.search(
            r"\b(?:zie|ziet|zag|zagen|hoor|hoort|hoorde|merk|merkt|merkte|see|sees|saw|hear|hears|heard|"
            r"notice|notices|noticed)\b",
            rest,
            _F,
        )
    )


def _tokens(value: str) -> list[str]:
    return [fold(t) for t in re.findall(r"[^\W\d_]{2,}", value)]


def _term_has(term: str, token: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(token)}(?!\w)", term))


def _quoted(text: str, start: int, end: int) -> bool:
    pre = re.search(r"['\"‘“][^\W\d_]*(?:\s+[^\W\d_]+)?\s*$", text[max(0, start - 20) : start])
    post = re.match(r"\s*(?:[^\W\d_]+\s+)?[^\W\d_]*['\"’”]", text[end : end + 20])
    return bool(pre and post)


def _last_boundary(before: str) -> int:
    last = 0
    for m in re.finditer(r"[.!?;\n]", before):
        last = m.end()
    return last


def _clause_end(text: str, pos: int) -> int:
    m = CLAUSE_BOUNDARY.search(text, pos)
    end = m.start() if m else len(text)
    return end


def _sentence_start(text: str, pos: int) -> int:
    start = 0
    for m in re.finditer(r"[.!?]\s|\n", text[:pos]):
        start = m.end()
    return start


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[.!?](?:\s|$)|\n").search(text, pos)
    return m.start() if m else len(text)
