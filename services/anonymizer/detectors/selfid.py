"""Self-identification without structured hints: sign-offs, self-introductions, relatives, own address.

Each rule only fires in a reporter context ("mijn naam is", a closing, "mijn zoon", "ik woon op"), so
names, addresses and descriptions of the subject elsewhere in the text are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from services.anonymizer.detectors.base import Span, clause_end, clause_start, fold
from services.anonymizer.detectors.lexicon import Lexicon, Pattern
from services.anonymizer.detectors.names import PARTICLES, NameLookup, NameMatch

STREET_SUFFIX = (
    r"(?:straat|straatweg|weg|laan|plein|singel|gracht|kade|dijk|hof|park|dreef|pad|steeg|markt|ring|baan|"
    r"allee|erf|veld|wal|haven|burg|boulevard|street|road|lane|avenue|square)"
)
ADDRESS_AT = re.compile(
    r"(?P<street>(?:[A-Z][\w'’\-]*\.?\s+){0,3}?[A-Za-z][\w'’\-]*\.?)\s+(?P<num>\d{1,5})"
    r"(?P<suf>(?<=\d)[a-zA-Z]{1,2}\b|\s?[-/]\s?\d{1,3}\b|\s(?:bis|hs|[a-zA-Z])\b)?(?![\w:])"
)
HOUSE_NUMBER_AT = re.compile(
    r"\b(?:huis)?(?:nummer|nr\.?|no\.?|number)\s*(?P<num>\d{1,5}[a-zA-Z]?)(?![\w:])", re.I
)
BARE_NUMBER_AT = re.compile(r"(?P<num>\d{1,5}[a-zA-Z]?)(?![\w:])")
STREET_AT = re.compile(rf"[A-Z][\w'’\-]*{STREET_SUFFIX}\b")
CONTACT_LINE = re.compile(r"@|\d{3}|^\s*(?:tel|mob|gsm|phone|adres|address|e-?mail)\b", re.IGNORECASE)
INVERTED = re.compile(
    r"\b(?:volgens|according to|zegt|says|denkt|thinks|dat|that|of|if|whether|als|omdat|because)\s*$",
    re.IGNORECASE,
)
# A line of contact details in a signature: phone, e-mail, address, postcode + place, with an optional label.
CONTACT_DETAIL = re.compile(
    r"(?:(?:tel|telefoon|mob|mobiel|gsm|phone|mobile|cell|e-?mail|mail|adres|address|t|m|e)\.?\s*:?\s*)?"
    r"(?:[+(]?\d[\d\s().\-/]{6,}\d|[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+|"
    r"[A-Z][\w'’.\- ]{2,40}\s\d{1,5}\s?[a-zA-Z]?(?:,\s*.{2,40})?|\d{4}\s?[A-Z]{2}(?:\s+[\w'’.\- ]{2,40})?)",
    re.IGNORECASE,
)
# A chat export line: optional timestamp, then "Speaker: text".
CHAT_LINE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?P<stamp>\[[^\]\n]{4,30}\][ \t]*|\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4},?[ \t]+"
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:[ \t]*[ap]\.?m\.?)?[ \t]*[-–][ \t]*|\d{1,2}:\d{2}[ \t]+)?[~ \t]*"
    r"(?P<name>[^\W\d_][\w'’.\- ]{0,40}?)[ \t]*:[ \t]+(?=\S)",
)
# Where a clause about something else starts: "ik werk bij X en zie dat ...".
CLAUSE_BREAK = re.compile(
    r",|;|\b(?:dat|die|waar|wat|omdat|want|that|which|where|who|because)\b", re.IGNORECASE
)
# Contact details after a sign-off name on the same line: ", 06-11223344 / piet@example.nl".
TRAILING_CONTACTS = re.compile(
    r"(?:[\s,;|/–\-]*(?:(?:tel|mob|m|t|e|e-?mail|mail)\.?\s*:?\s*)?"
    r"(?:[+(]?\d[\d\s().\-/]{6,}\d|[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+))*[\s.,;!]*",
    re.IGNORECASE,
)
# After a caller's name in apposition: "Beller, de heer X, is nachtwaker ...".
APPOSITION_ROLE = re.compile(
    r"\s*[,)]\s*(?:is|was|werkt\s+als|works\s+as)\s+(?:(?:de|het|een|the|a|an)\s+)?", re.I
)
# A reference number: letters and digits with separators, holding at least one digit.
REFERENCE_TOKEN = re.compile(r"[#(]?(?=[\w\-./]*\d)[A-Za-z0-9][\w\-./]{2,30}[A-Za-z0-9]\)?")
# "The Verbeek family" as a sign-off.
FAMILY_SIGN = re.compile(r"(?:the\s+)?(?P<name>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)?)[ \t]+family\b", re.I)
# Where a job is done, right after it: "op lijn 5", "bij het station", "at the school".
ROLE_PLACE = re.compile(
    r"[ \t]+(?:op|bij|in|aan|van|at|on|for)[ \t]+(?:(?:de|het|een|the|a|lijn|line|route)[ \t]+)?"
    r"[\w'’\-]+(?:[ \t]+\d+[a-z]?)?",
    re.I,
)
FIRST_PERSON_WORD = re.compile(
    r"\b(?:ik|mijn|mn|m[''’]n|me|mij|wij|we|ons|onze|i|my|our|us|i[''’]m|im)\b", re.I
)
CLAUSE_BREAK_OR_AND = re.compile(r"\b(?:en|and|maar|but|waar|where|die|dat|that|which|terwijl|while)\b", re.I)
# A street after its number, the English way: "12 Birch Lane", "4 Mill Road".
NUMBER_FIRST_STREET = re.compile(
    rf"[ \t]+(?:[A-Z][\w'’\-]*[ \t]+){{0,3}}(?:[A-Z][\w'’\-]*{STREET_SUFFIX}|Lane|Road|Street|Avenue|Square|"
    r"Close|Drive|Way|Court|Place|Crescent|Gardens|Terrace|Row|Walk|Hill|Green|Park)\b"
)
POSTCODE_AFTER = re.compile(r"[ \t]*,?[ \t]*(?P<pc>\d{4}[ \t]?[A-Z]{2})\b")
ARTICLES = frozenset("de het een the a an zijn haar hun his her their".split())
TRUNCATE_AT = re.compile(r"[,;]|\s(?:dus|want|maar|en ik|so|but|and i|because|omdat)\b", re.IGNORECASE)


@dataclass(slots=True)
class SelfIdResult:
    spans: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    relative_names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    house_numbers: list[str] = field(default_factory=list)
    signature_blocks: list[tuple[int, int]] = field(default_factory=list)


def _alt(entries: Iterable[Pattern]) -> str:
    sources = sorted((e["regex"] if isinstance(e, dict) else e for e in entries), key=len, reverse=True)
    return "(?:" + "|".join(sources) + ")"


class SelfIdentification:
    """Finds where the reporter identifies themselves in free text."""

    def __init__(self, lexicon: Lexicon, names: NameLookup) -> None:
        self._names = names
        self._lex = lexicon
        i = re.IGNORECASE
        self._closing_line = re.compile(
            rf"(?:^|(?<=\n)|(?<=[.!?]\s)|(?<=[.!?]))[ \t]*(?P<closing>{_alt(lexicon.closings)})\b"
            r"[ \t]*[,.!:\-–]*[ \t]*",
            i,
        )
        self._footer = re.compile(rf"^[ \t>]*{_alt(lexicon.footers)}", i | re.MULTILINE)
        self._strong = re.compile(rf"(?<!\w){_alt(lexicon.self_intro_strong)}\s*", i)
        self._weak = re.compile(rf"(?<![\w'’]){_alt(lexicon.self_intro_weak)}\s+", i)
        callers = _alt(re.escape(w) for w in lexicon.caller_words)
        self._caller_apposition = re.compile(rf"\b{callers}\b\s*[(,:]\s*", i)
        self._caller_named = re.compile(
            rf"\b{callers}\b,?\s+(?:heet|genaamd|is genaamd|met de naam|named|called|by the name of)\s+", i
        )
        self._contact_details = re.compile(_alt(lexicon.contact_details_intro), i)
        self._caller_any = re.compile(rf"\b{callers}\b", i)
        first = _alt(re.escape(w) for w in lexicon.first_person_possessive)
        third = _alt(re.escape(w) for w in lexicon.third_person_possessive)
        rel = _alt(lexicon.relatives)
        self._relative = re.compile(
            rf"\b(?P<poss>{first}|{third})\s+(?:eigen\s+|own\s+)?{rel}\b\s*[,(]?\s*", i
        )
        self._first_poss = re.compile(rf"^{first}$", i)
        self._own_address = re.compile(_alt(lexicon.own_address_intro), i)
        self._position = re.compile(_alt(lexicon.position_words), i)
        self._unique = re.compile(_alt(lexicon.unique_self), i)
        self._role_intro = re.compile(_alt(lexicon.self_role_intro), i)
        self._work_as = re.compile(_alt(lexicon.work_role_intro), i)
        self._work_verb = re.compile(r"\b(?:" + "|".join(map(re.escape, lexicon.work_verbs)) + r")\w*", i)
        self._first_person = re.compile(rf"\b(?:ik|i|wij|we|{callers})\b", i)
        self._stops = lexicon.stop_words
        self._not_roles = frozenset(w.lower() for w in lexicon.not_roles)
        honorifics = _alt(lexicon.honorifics)
        self._honorific = re.compile(rf"(?:{honorifics})(?:(?<=\.)|\b)\s*", i)
        self._call_verb = re.compile(
            rf"[ \t]*(?:,[ \t]*)?(?:\([^)\n]{{0,40}}\)[ \t]*)?{_alt(lexicon.call_verbs)}\b"
            rf"(?={_alt(lexicon.call_verb_followers)})",
            i,
        )
        self._sentence_honorific = re.compile(
            rf"(?:^|(?<=\n)|(?<=[.!?]\s)|(?<=[.!?]\s\s))[ \t]*(?={honorifics}(?:(?<=\.)|\b))", i
        )
        self._caller_intro = re.compile(rf"{_alt(lexicon.caller_name_intro)}[ \t]*[,:]?[ \t]*", i)
        self._line_start = re.compile(r"(?:^|\n)[ \t]*$")
        self._caller_after = re.compile(_alt(lexicon.caller_name_after), i)
        self._caller_or_call = re.compile(
            rf"\b{callers}\b|{_alt(lexicon.call_verbs)}\b|\bnamens\b|\bon behalf of\b", i
        )
        self._relative_of = re.compile(rf"\b{rel}\s+{_alt(lexicon.relative_of_reporter)}\b\s*[,(:]?\s*", i)
        self._relative_named = re.compile(
            rf"\b(?P<poss>{first}|{third})\s+(?:eigen\s+|own\s+)?{rel}{_alt(lexicon.relative_named)}", i
        )
        self._self_as_relative = re.compile(
            rf"\b{_alt(lexicon.self_as_relative)}\s+(?:de|het|een|the|a|an)\s+(?:trotse\s+|proud\s+)?{rel}"
            rf"\s+(?:van|of)\s+",
            i,
        )
        self._relative_and_me = re.compile(rf"\b(?:{first})\s+{rel}\s+(?:en|and)\s+(?:ik|i|me)\s*\(\s*", i)
        self._name_joiner = re.compile(r"[ \t]*(?:,|en|&|and|\+)[ \t]*", i)
        self._own_business_at = re.compile(_alt(lexicon.own_business_intro), i)
        self._employer = re.compile(_alt(lexicon.employer_intro), i)
        self._closing_only = re.compile(rf"(?:[/|,\-–]?\s*{_alt(lexicon.closings)}\s*[,.!]*\s*)+", i)
        occupations = "|".join(sorted(map(re.escape, lexicon.occupation_suffixes), key=len, reverse=True))
        self._occupation = re.compile(
            rf"\b(?:ik\s+ben|ik\s+was|ik\s+werk\s+als|ik\s+werkte\s+als|melder\s+is|melder\s+was|"
            rf"melder\s+werkt\s+als|melderes\s+is|beller\s+is|i\s+am|i[''’]m|i\s+work\s+as|as\s+(?:an?|the))\s+"
            rf"(?=(?:[\w\-]+[ \t]+)?[\w\-]*(?:{occupations})\b)",
            i,
        )
        self._relative_address = re.compile(
            rf"\b(?:{first})\s+{rel}\s+(?:woont|woonde|wonen|lives|lived|live)\b[^.!?\n]{{0,40}}?\b(?:op|aan|in|at|on)\s+"
            r"(?:de\s+|het\s+|the\s+)?",
            i,
        )
        self._caller_self_naming = re.compile(_alt(lexicon.caller_self_naming), i)
        self._call_taker_opening = re.compile(_alt(lexicon.call_taker_opening), i)
        self._own_reference = re.compile(_alt(lexicon.own_reference_intro), i)
        self._subject_company = re.compile(_alt(lexicon.subject_company_cues), i)
        self._company_joiners = frozenset(w.lower() for w in lexicon.company_joiners)
        self._chat_staff = frozenset(fold(w) for w in lexicon.chat_staff_speakers)
        self._chat_self = frozenset(fold(w) for w in lexicon.chat_self_speakers)
        self._chat_not = frozenset(fold(w) for w in lexicon.chat_not_speakers)
        self._closing_at_end = re.compile(
            rf"(?:^|(?<=\s))(?P<closing>{_alt(lexicon.closings)}|x{{1,4}})[ \t]*[,.!:\-–]*[ \t]*", i
        )

    def detect(
        self,
        text: str,
        subject_streets: set[str],
        subject_terms: Iterable[str] = (),
        *,
        employer_is_subject: bool = False,
    ) -> SelfIdResult:
        """Spans identifying the reporter; ``subject_terms`` (folded) are values the report is about."""
        result = SelfIdResult()
        self._signature(text, result)
        self._contact_detail_lines(text, result)
        self._chat_speakers(text, result)
        self._introductions(text, result)
        self._caller_names(text, result)
        self._relatives(text, result)
        self._own_addresses(text, subject_streets, result)
        self._own_business(text, set(subject_terms), result, employer_is_subject)
        self._own_references(text, result)
        self._self_descriptions(text, result)
        return result

    # --- chat exports ---------------------------------------------------------------------------

    def _chat_speakers(self, text: str, result: SelfIdResult) -> None:
        """Speaker prefixes of a chat export: the reporter's name precedes each of their lines."""
        lines: list[tuple[str, int, int, bool]] = []  # folded speaker, start, end, has timestamp
        for m in CHAT_LINE.finditer(text):
            name = m.group("name").strip()
            if not self._speaker_like(name):
                continue
            lines.append((fold(name), m.start("name"), m.start("name") + len(name), bool(m.group("stamp"))))
        if not lines:
            return
        counts: dict[str, int] = {}
        for speaker, *_ in lines:
            counts[speaker] = counts.get(speaker, 0) + 1
        stamped = any(st for *_, st in lines)
        first_line = len(text) - len(text.lstrip())
        starts_text = not text[first_line : lines[0][1]].strip(" \t[]~-–0123456789:/.,apm")
        chat = {
            sp
            for sp, n in counts.items()
            if n >= 2 or stamped or (sp == lines[0][0] and starts_text and self._single_message(text, lines))
        }
        people = {sp for sp in chat if sp not in self._chat_staff}
        if not people or any(sp in self._chat_self for sp in people):
            return  # "Ik: nee" - a forwarded chat: the named speakers are the reporter's counterpart
        staff_present = any(sp in self._chat_staff for sp in chat)
        reporters = set(people) if staff_present else ({lines[0][0]} if starts_text else set())
        for speaker, start, end, _ in lines:
            if speaker in reporters:
                result.spans.append(Span(start, end, "name", "selfid", "chat-speaker"))
        for speaker in reporters:
            original = next(text[s:e] for sp, s, e, _ in lines if sp == speaker)
            result.names.append(original)

    def _single_message(self, text: str, lines: list[tuple[str, int, int, bool]]) -> bool:
        """One "Marieke: ..." line opening the text is a chat message, not a list entry ("Ronnie: dealer"),
        when it is the only such line, the speaker is a known first name and the message speaks in the
        first person."""
        if len(lines) != 1 or not self._known_name(text[lines[0][1] : lines[0][2]]):
            return False
        line_end = text.find("\n", lines[0][2])
        message = text[lines[0][2] : len(text) if line_end < 0 else line_end]
        return bool(FIRST_PERSON_WORD.search(message))

    def _speaker_like(self, name: str) -> bool:
        words = name.split()
        if not 1 <= len(words) <= 4 or fold(name) in self._chat_not:
            return False
        if fold(name) in self._chat_staff or fold(name) in self._chat_self:
            return True
        return all(w[0].isupper() or w.lower() in PARTICLES for w in words) or self._known_name(name)

    def _known_name(self, name: str) -> bool:
        return any(self._names.is_first_name(w) for w in name.split()[:1])

    # --- sign-offs ----------------------------------------------------------------------------

    def _signature(self, text: str, result: SelfIdResult) -> None:
        body_end = self._footer_start(text)
        for m in self._closing_line.finditer(text):
            rest_of_line_end = text.find("\n", m.end())
            line_end = len(text) if rest_of_line_end < 0 else rest_of_line_end
            same_line = text[m.end() : line_end].strip()
            if same_line and self._closing_only.fullmatch(same_line):
                same_line = ""  # "Met vriendelijke groet / Kind regards"
            tail = text[line_end:body_end]
            tail_lines = [ln for ln in tail.split("\n") if ln.strip()]
            if len(tail_lines) > 8 or any(len(ln) > 100 for ln in tail_lines):
                continue
            name_here = self._names.capture(text, m.end(), "signature") if same_line else None
            family = FAMILY_SIGN.match(text, m.end()) if same_line and not name_here else None
            if family and _only_punct(text[family.end() : line_end]):
                name_here = NameMatch(
                    family.start("name"), family.end("name"), tuple(family.group("name").split())
                )
            name_end = family.end() if family and name_here else (name_here.end if name_here else line_end)
            if same_line and not (name_here and _only_punct(text[name_end:line_end])):
                continue  # "Bedankt voor het lezen van ..." is a sentence, not a sign-off
            if not same_line and not (tail_lines and self._signature_like(tail_lines[0])):
                continue  # "dank je wel" in the middle of a chat: what follows is not a signature
            block_end = body_end if tail_lines else line_end
            start = m.end()
            result.spans.append(
                Span(start, max(block_end, start), "signature", "selfid", "closing+signature")
            )
            result.signature_blocks.append((start, max(block_end, start)))
            self._signature_names(text, start, block_end, name_here, result)
            if body_end < len(text):
                result.spans.append(Span(body_end, len(text), "signature", "selfid", "mail-footer"))
            return
        if not self._closing_ends_text(text, body_end, result):
            self._bare_name_line(text, body_end, result)
        if body_end < len(text):
            result.spans.append(Span(body_end, len(text), "signature", "selfid", "mail-footer"))

    def _closing_ends_text(self, text: str, body_end: int, result: SelfIdResult) -> bool:
        """A chat that ends "... groetjes marieke" or "xx Marieke": the name after the closing."""
        body = text[:body_end].rstrip()
        line_start = body.rfind("\n") + 1
        for m in self._closing_at_end.finditer(body, line_start):
            found = self._names.capture(body, m.end(), "signature")
            if not found or len(found.parts) > 4:
                continue
            tail = body[found.end :]
            contact_tail = TRAILING_CONTACTS.fullmatch(tail) is not None and not _only_punct(tail)
            if not (_only_punct(tail) or contact_tail):
                continue
            if not any(self._names.is_known_name(p) for p in found.parts):
                continue
            if contact_tail:  # "Mvg, Henk Jansen, 06-11223344": name and contact details sign the text
                result.spans.append(Span(found.start, len(body), "signature", "selfid", "closing-ends-text"))
                result.signature_blocks.append((found.start, len(body)))
            else:
                result.spans.append(Span(found.start, found.end, "name", "selfid", "closing-ends-text"))
            result.names.append(" ".join(found.parts))
            return True
        return False

    def _contact_detail_lines(self, text: str, result: SelfIdResult) -> None:
        for m in self._contact_details.finditer(text):
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            found = self._names.capture(text, m.end(), "strong")
            if found:
                result.names.append(" ".join(found.parts))
            result.spans.append(Span(m.end(), end, "signature", "selfid", "own-contact-details"))
            result.signature_blocks.append((m.end(), end))

    def _signature_like(self, line: str) -> bool:
        line = re.split(r"\s[|•·]\s", line)[0]  # "J. Smit | Teamleider | Bedrijf"
        if CONTACT_LINE.search(line):
            return True
        found = self._names.capture(line, 0, "signature")
        return (found is not None and _only_punct(line[found.end :])) or bool(self._name_line_parts(line))

    def _name_line_parts(self, line: str) -> list[str]:
        """Name words of a line like "J. (Johan) Kramer" or "Dr. Emily Carter"; empty if it is not one."""
        if re.search(r"[^\w\s().,'’\-]", line):
            return []
        tokens = re.findall(r"[^\W\d_][\w'’\-]*\.?", line)
        if not 1 <= len(tokens) <= 6 or re.search(r"\d", line):
            return []
        words = [t.rstrip(".") for t in tokens]
        if not all(w[0].isupper() or w.lower() in PARTICLES for w in words):
            return []
        parts = [
            w for w in words if len(w) > 1 and w.lower() not in PARTICLES and not self._names.is_honorific(w)
        ]
        if not parts or any(self._names.is_common(w) for w in parts):
            return []
        return parts

    def _footer_start(self, text: str) -> int:
        m = self._footer.search(text)
        return m.start() if m and m.start() > len(text) // 3 else len(text)

    def _signature_names(
        self, text: str, start: int, end: int, first: NameMatch | None, result: SelfIdResult
    ) -> None:
        if first:
            result.names.append(" ".join(first.parts))
            return
        for line in text[start:end].split("\n"):
            if not line.strip():
                continue
            offset = text.find(line, start)
            found = self._names.capture(text, offset, "signature")
            if found and _only_punct(text[found.end : offset + len(line)]):
                result.names.append(" ".join(found.parts))
            else:
                result.names.extend(self._name_line_parts(line))
            return

    def _bare_name_line(self, text: str, body_end: int, result: SelfIdResult) -> None:
        """Trailing lines with only a name and contact details sign the text even without a closing."""
        body = text[:body_end].rstrip()
        if "\n" not in body:
            self._dashed_name(text, body, result)
            return
        lines = _lines_with_offsets(body)
        block: list[tuple[int, int]] = []
        names_found: list[tuple[int, int, str]] = []
        for start, end in reversed(lines):
            line = text[start:end]
            if not line.strip():
                break
            kind = self._contact_line_kind(text, start, end)
            if kind is None or len(line) > 80:
                break
            block.append((start, end))
            if kind[0] == "name":
                names_found.append(kind[1])
            if len(block) >= 6:
                break
        if block and not names_found:
            # Only contact details, set apart from the text by a blank line: they sign it too
            # ("...gedeald.\n\ngerda71@hotmail.com"), unless the text introduces them ("zijn nummer:").
            first = min(s for s, _ in block)
            before = text[:first].rstrip(" \t")
            if before.endswith("\n\n") or before.endswith("\n") and before.rstrip().endswith(("-- ", "--")):
                last = before.rstrip()
                last_sentence = last[clause_start(last, max(0, len(last) - 1)) :]
                if not last.endswith(":") and not self._lex.subject_cue_pattern.search(last_sentence):
                    result.spans.append(
                        Span(first, len(body), "signature", "selfid", "trailing-contact-block")
                    )
                    result.signature_blocks.append((first, len(body)))
            return
        if not block:
            return
        first = min(s for s, _ in block)
        if len(block) == 1:
            s0, e0, parts = names_found[0]
            result.spans.append(Span(s0, e0, "name", "selfid", "name-only-last-line"))
        else:
            result.spans.append(Span(first, len(body), "signature", "selfid", "trailing-contact-block"))
            result.signature_blocks.append((first, len(body)))
        result.names.extend(p for _, _, p in names_found)

    def _contact_line_kind(self, text: str, start: int, end: int) -> tuple[str, tuple[int, int, str]] | None:
        line = text[start:end]
        if CONTACT_DETAIL.fullmatch(line.strip()):
            return ("contact", (start, end, ""))
        lead = re.match(r"[ \t]*(?:[-–—~][ \t]*)?", line)
        at = start + (lead.end() if lead else 0)
        found = self._names.capture(text, at, "signature")
        if not found or found.end > end or not _only_punct(text[found.end : end]) or len(found.parts) > 4:
            return None
        if not any(self._names.is_known_name(p) for p in found.parts):
            return None
        return ("name", (found.start, found.end, " ".join(found.parts)))

    def _dashed_name(self, text: str, body: str, result: SelfIdResult) -> None:
        # One line: only a dashed name after the last sentence ("... weg. - Sanne").
        m = re.match(r".*[.!?][ \t]+[-–—~][ \t]*", body)
        if not m:
            return
        found = self._names.capture(text, m.end(), "signature")
        if not found or not _only_punct(body[found.end :]) or len(found.parts) > 4:
            return
        if any(self._names.is_known_name(p) for p in found.parts):
            result.spans.append(Span(found.start, found.end, "name", "selfid", "dashed-name-at-end"))
            result.names.append(" ".join(found.parts))

    # --- self-introductions ----------------------------------------------------------------------

    def _introductions(self, text: str, result: SelfIdResult) -> None:
        for pattern, mode, rule in (
            (self._strong, "strong", "self-introduction"),
            (self._weak, "weak", "self-introduction-first-name"),
        ):
            for m in pattern.finditer(text):
                found = self._names.capture(text, m.end(), mode)  # type: ignore[arg-type]
                if not found or _possessive_follows(text, found.end):
                    continue
                result.spans.append(Span(found.start, found.end, "name", "selfid", rule))
                result.names.append(" ".join(found.parts))

    def _caller_names(self, text: str, result: SelfIdResult) -> None:
        found_any: list[NameMatch] = []
        for pattern, mode in ((self._caller_apposition, "signature"), (self._caller_named, "strong")):
            for m in pattern.finditer(text):
                found = self._names.capture(text, m.end(), mode)  # type: ignore[arg-type]
                if found:
                    found_any.append(found)
        # "Gesprek met mevr. Yilmaz", "Melder is mevrouw Hoekstra": an honorific must follow unless
        # the phrase opens a line ("Gesprek met Sandra:").
        for m in self._caller_intro.finditer(text):
            honorific = self._honorific.match(text, m.end())
            opens_line = self._line_start.search(text, 0, m.start()) is not None
            if not honorific and not opens_line:
                continue
            clause_initial = not text[clause_start(text, m.start()) : m.start()].strip()
            if not (clause_initial or self._caller_any.match(m.group()) or "namens" in m.group().lower()):
                continue  # "Ik heb een gesprek met dhr. Koster gehad": someone the reporter spoke to
            found = self._names.capture(text, m.end(), "signature")
            if found and (honorific or any(self._names.is_known_name(p) for p in found.parts)):
                found_any.append(found)
        # "Mevrouw De Jong belt over ...": an honorific and name opening a sentence, then a call verb.
        for m in self._sentence_honorific.finditer(text):
            found = self._names.capture(text, m.end(), "signature")
            if found:
                # After an honorific any word counts as a name, so the verb may have been swallowed.
                cut = next(
                    (
                        p
                        for p in range(found.start + 1, found.end + 1)
                        if (p == found.end or text[p] in " \t,(") and self._call_verb.match(text, p)
                    ),
                    None,
                )
                if cut is not None:
                    words = text[found.start : cut].split()
                    found_any.append(NameMatch(found.start, cut, tuple(w.strip(",") for w in words)))
        # "Dhr. Pietersen (melder) zegt ...", "Sandra Bos, melder, belt ...".
        for m in self._caller_after.finditer(text):
            found = self._name_before(text, m.start())
            if found:
                found_any.append(found)
        if self._is_call_taker_text(text):
            for m in self._caller_self_naming.finditer(text):
                found = self._names.capture(text, m.end(), "signature")
                if found:
                    found_any.append(found)
        for found in found_any:
            result.spans.append(Span(found.start, found.end, "name", "selfid", "call-taker-names-reporter"))
            result.names.append(" ".join(found.parts))
            # "Beller, de heer Ten Have, is nachtwaker op ...": the role after the caller's name.
            role = APPOSITION_ROLE.match(text, found.end)
            if role:
                role_end = self._role_phrase_end(text, role.end(), needs_article=False)
                if role_end:
                    result.spans.append(Span(role.end(), role_end, "self_description", "selfid", "self-role"))

    def _is_call_taker_text(self, text: str) -> bool:
        return bool(self._caller_any.search(text) or self._call_taker_opening.search(text))

    def _name_before(self, text: str, end: int) -> NameMatch | None:
        """The capitalised name (with an optional honorific) that ends at ``end``."""
        head = text[max(0, end - 60) : end]
        m = re.search(
            r"((?:[A-Z][\w'’\-]*\.?|van|de|der|den|ter|ten|el|al)(?:[ \t]+|$))*$", head.rstrip() + " "
        )
        if not m or not m.group().strip():
            return None
        start = end - 60 if end >= 60 else 0
        at = start + m.start()
        for cand in range(at, end):
            if cand == at or text[cand - 1] in " \t":
                found = self._names.capture(text, cand, "signature")
                if (
                    found
                    and found.end >= len(text[:end].rstrip())
                    and any(
                        self._names.is_known_name(p)
                        or self._names.is_honorific(text[cand : found.start].strip())
                        for p in found.parts
                    )
                ):
                    return found
        return None

    def _relatives(self, text: str, result: SelfIdResult) -> None:
        for m in self._relative.finditer(text):
            if not self._first_poss.match(m.group("poss")):
                # "haar zoon Thijs" counts only in a call-taker sentence about the reporter.
                if not self._caller_or_call.search(text, clause_start(text, m.start()), m.start()):
                    continue
            self._relative_at(text, m.end(), result)
        for m in self._relative_named.finditer(text):
            if not self._first_poss.match(m.group("poss")):
                if not self._caller_or_call.search(text, clause_start(text, m.start()), m.start()):
                    continue
            self._relative_at(text, m.end(), result)
        for pattern in (self._relative_of, self._self_as_relative, self._relative_and_me):
            for m in pattern.finditer(text):
                self._relative_at(text, m.end(), result)

    def _relative_at(self, text: str, at: int, result: SelfIdResult) -> None:
        """The relative's name at ``at``, and those joined to it ("Daan en Lotte")."""
        while True:
            found = self._names.capture(text, at, "signature")
            if not found or _possessive_follows(text, found.end):
                return
            head = next((p for p in found.parts if p.lower() not in PARTICLES), found.parts[0])
            if not head[0].isupper() and not self._names.is_first_name(head):
                return
            result.spans.append(
                Span(found.start, found.end, "relative_name", "selfid", "relative-of-reporter")
            )
            result.relative_names.append(" ".join(found.parts))
            joiner = self._name_joiner.match(text, found.end)
            if not joiner:
                return
            nxt = self._names.capture(text, joiner.end(), "weak")
            if not nxt:
                return
            at = joiner.end()

    # --- own address, position, self-description ---------------------------------------------------

    def _own_addresses(self, text: str, subject_streets: set[str], result: SelfIdResult) -> None:
        intros = [*self._own_address.finditer(text), *self._relative_address.finditer(text)]
        for m in intros:
            at, limit = m.end(), min(clause_end(text, m.end()), m.end() + 60)
            addr = ADDRESS_AT.search(text, at, limit)
            if addr and (
                BARE_NUMBER_AT.match(text, at) or CLAUSE_BREAK_OR_AND.search(text, at, addr.start())
            ):
                addr = None  # "I live at 12 Birch Lane and ... at number 4": the number comes first here
            if addr and self._is_street(addr.group("street")):
                self._add_own_address(addr, subject_streets, result)
                continue
            labelled = HOUSE_NUMBER_AT.search(text, at, limit)
            if labelled and CLAUSE_BREAK_OR_AND.search(text, at, labelled.start()):
                labelled = None  # "... at 12 and the dealing happens at number 4": another clause
            num = BARE_NUMBER_AT.match(text, at) or labelled
            if labelled and labelled is not num:  # "op de 3e verdieping van dezelfde flat, nummer 45"
                result.house_numbers.append(labelled.group("num").lower())
                result.spans.append(
                    Span(labelled.start(), labelled.end(), "house_number", "selfid", "own-house-number")
                )
            if num:
                result.house_numbers.append(num.group("num").lower())
                street_after = NUMBER_FIRST_STREET.match(text, num.end())
                end = street_after.end() if street_after else num.end()  # "I live at 12 Birch Lane"
                kind = "address" if street_after else "house_number"
                result.spans.append(Span(num.start(), end, kind, "selfid", "own-house-number"))
                if street_after:
                    result.addresses.append(f"{street_after.group().strip()} {num.group('num')}")
                continue
            street_only = STREET_AT.match(text, at)
            if street_only and fold(street_only.group()) not in subject_streets:
                result.spans.append(
                    Span(street_only.start(), street_only.end(), "address", "selfid", "own-street")
                )

    def _own_references(self, text: str, result: SelfIdResult) -> None:
        """The reporter's own order, customer or case number ("mijn ordernummer was FD-22871")."""
        for m in self._own_reference.finditer(text):
            ref = REFERENCE_TOKEN.match(text, m.end())
            if ref:
                result.spans.append(
                    Span(ref.start(), ref.end(), "reference", "selfid", "own-reference-number")
                )

    def _own_business(
        self, text: str, subject_terms: set[str], result: SelfIdResult, employer_is_subject: bool
    ) -> None:
        """The reporter's own business or employer, unless the report is about that company."""
        for pattern, rule in ((self._own_business_at, "own-business"), (self._employer, "own-employer")):
            if rule == "own-employer" and employer_is_subject:
                continue  # a report of undeclared work or exploitation is about the employer
            for m in pattern.finditer(text):
                end = self._company_end(text, m.end())
                if end is None:
                    continue
                if self._is_subject_company(text, m.end(), end, subject_terms):
                    continue
                result.spans.append(Span(m.end(), end, "self_description", "selfid", rule))

    def _company_end(self, text: str, at: int) -> int | None:
        """End of a capitalised company name at ``at`` ("Bakkerij Smit", "De Vries & Zn"), or None."""
        end = None
        for m in re.finditer(r"[\w&'’.\-]+|[ \t]+", text[at : at + 80]):
            tok = m.group()
            if tok.isspace():
                continue
            word = tok.rstrip(".,")
            if tok.lower() in self._company_joiners and end is not None:
                if tok.endswith("."):
                    end = at + m.start() + len(tok)  # "b.v." ends the name with its dots
                continue
            if word and (word[0].isupper() or word[0].isdigit() and end is not None):
                end = at + m.start() + len(word)
                if tok != word:
                    break  # a full stop or comma ends the name
            elif end is not None and word.lower() in self._company_joiners:
                continue
            else:
                break
        return end

    def _is_subject_company(self, text: str, start: int, end: int, subject_terms: set[str]) -> bool:
        """Whether the company at ``text[start:end]`` is what the report is about (then it is kept)."""
        key = fold(text[start:end]).strip()
        words = [w for w in re.findall(r"\w+", key) if len(w) >= 3]
        if any(key in t or t in key for t in subject_terms if len(t) >= 3):
            return True
        # Mentioned again elsewhere: the company is what the report is about.
        distinctive = [w for w in words if not self._names.is_common(w)] or words
        others = fold(text[:start]) + " " + fold(text[end:])
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", others) for w in distinctive):
            return True
        # "ik werk bij X en de eigenaar betaalt zwart": the clause that follows is about X.
        rest = text[end : min(clause_end(text, end), end + 60)]
        cut = CLAUSE_BREAK.search(rest)
        rest = rest[: cut.start()] if cut else rest
        return any(
            not re.match(r"\s+(?:van|of)\b", rest[m.end() :], re.I)
            for m in self._subject_company.finditer(rest)
        )

    def _is_street(self, street: str) -> bool:
        words = street.split()
        return bool(STREET_AT.fullmatch(words[-1])) or not any(self._names.is_common(w) for w in words)

    @staticmethod
    def _add_own_address(addr: re.Match[str], subject_streets: set[str], result: SelfIdResult) -> None:
        street = addr.group("street").strip()
        number = addr.group("num") + re.sub(r"[\s\-/]", "", addr.group("suf") or "").lower()
        result.addresses.append(f"{street} {number}")
        result.house_numbers.append(number)
        postcode = POSTCODE_AFTER.match(addr.string, addr.end())
        if postcode:
            result.addresses.append(f"{street} {number} {postcode.group('pc')}")
            result.spans.append(
                Span(postcode.start("pc"), postcode.end("pc"), "postcode", "selfid", "own-postcode")
            )
        if fold(street) in subject_streets:
            # Same street as the subject: the street is a subject fact, the number is the reporter's.
            result.spans.append(Span(addr.start("num"), addr.end(), "house_number", "selfid", "own-address"))
        else:
            result.spans.append(Span(addr.start(), addr.end(), "address", "selfid", "own-address"))

    def _self_descriptions(self, text: str, result: SelfIdResult) -> None:
        for m in self._position.finditer(text):
            result.spans.append(
                Span(m.start(), m.end(), "position", "selfid", "position-relative-to-reporter")
            )
        for m in self._unique.finditer(text):
            cut = TRUNCATE_AT.search(m.group())
            end = m.start() + cut.start() if cut else m.end()
            result.spans.append(Span(m.start(), end, "self_description", "selfid", "unique-self-description"))
        for m in self._role_intro.finditer(text):
            if INVERTED.search(text[clause_start(text, m.start()) : m.start()]):
                continue  # "Volgens melder is de schuur ...": the reporter is the source, not the topic
            role_end = self._role_phrase_end(text, m.end(), needs_article=True)
            if role_end:
                result.spans.append(Span(m.end(), role_end, "self_description", "selfid", "self-role"))
        for m in self._occupation.finditer(text):
            # "ik ben buschauffeur op lijn 5": the job and where it is done single the reporter out.
            role_end = self._role_phrase_end(text, m.end(), needs_article=False)
            if role_end:
                place = ROLE_PLACE.match(text, role_end)
                end = place.end() if place else role_end
                result.spans.append(Span(m.end(), end, "self_description", "selfid", "occupation"))
        for m in self._work_as.finditer(text):
            c_start, c_end = clause_start(text, m.start()), clause_end(text, m.end())
            clause = text[c_start:c_end]
            if not (self._work_verb.search(clause) and self._first_person.search(clause)):
                continue
            work_end = self._role_phrase_end(text, m.end(), needs_article=False)
            if work_end:
                result.spans.append(Span(m.start(), work_end, "self_description", "selfid", "work-role"))

    def _role_phrase_end(self, text: str, at: int, *, needs_article: bool) -> int | None:
        """End of a short noun phrase ("de vaste postbode", "a regular customer", "kok") or None."""
        tokens = list(re.finditer(r"[^\W\d_][\w'’\-]*", text[at : at + 80]))
        if not tokens:
            return None
        i = 0
        if tokens[0].group().lower() in ARTICLES:
            i = 1
        elif needs_article:
            return None
        end = None
        prev_end = tokens[i - 1].end() if i else 0
        for tok in tokens[i : i + 4]:
            word = tok.group().lower()
            gap = text[at + prev_end : at + tok.start()]
            if gap.strip() or (tok is tokens[i] and word in self._not_roles):
                break
            if word in self._stops:
                break
            end = at + tok.end()
            prev_end = tok.end()
        return end


def _lines_with_offsets(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _only_punct(s: str) -> bool:
    return not re.search(r"[\w]", s)


def _possessive_follows(text: str, end: int) -> bool:
    return bool(re.match(r"['’]s\b", text[end : end + 3]))
