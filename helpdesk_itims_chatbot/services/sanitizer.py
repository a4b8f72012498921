"""PII sanitizer for Spanish help-desk messages (pure Python, no ORM).

Every text the assistant sends out of Odoo goes through :meth:`Sanitizer.sanitize`
first. It replaces personal data with a bracketed label ("[DNI]", "[NOMBRE]"...)
and leaves the technical content alone: error codes, IP addresses, serial
numbers, product names, room and floor numbers, menu paths.

What is masked:

* e-mail addresses, card-like numbers (13 to 19 digits, spaces or dashes
  between groups), RUC (11 digits starting 10/15/16/17/20), Peruvian mobile and
  landline numbers (with or without +51, area code in brackets, separators),
  any number after a phone word ("celular", "whatsapp"...), 8-digit national
  IDs (DNI), and extra patterns given by the institution;
* secrets given in the text: "mi contraseña es ...", "clave: ...", "PIN ...";
* self-introductions ("me llamo ...", "mi nombre es ...", "soy ...",
  "les habla ...") and names after a title ("Ing.", "la licenciada", "Dr.");
* the names of the institution's own employees, matched as whole words,
  case- and accent-insensitively, by an n-gram set built once
  (:class:`NameMatcher`): the cost per message does not grow with the number
  of employees.

Known limits: a surname joined by a lowercase particle ("de la Cruz") after a
self-introduction is masked up to the particle only; a name written in lowercase
is caught only after "me llamo" / "mi nombre es" or when it is an employee's.
"""

import re
import unicodedata

MASK_EMAIL = "[CORREO]"
MASK_CARD = "[TARJETA]"
MASK_RUC = "[RUC]"
MASK_PHONE = "[TELÉFONO]"
MASK_ID = "[DNI]"
MASK_SECRET = "[CLAVE]"
MASK_NAME = "[NOMBRE]"
MASK_OTHER = "[DATO]"

_UPPER = "A-ZÁÉÍÓÚÑÜ"
_LOWER = "a-záéíóúñü"
# a capitalised name word ("María", "Ccahuana", "O'Brien"), not an all-caps acronym
_CAP_WORD = rf"[{_UPPER}][{_LOWER}]+(?:['-][{_UPPER}]?[{_LOWER}]+)?"
_ANY_WORD = rf"[{_UPPER}{_LOWER}]+"
_NAME_RUN = rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,3}}"

EMAIL_RE = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 13-19 digits in groups: card numbers (checked before shorter numbers)
CARD_RE = re.compile(r"(?<![\w.])\d(?:[ -]?\d){12,18}(?![\w]|\.\d)")
RUC_RE = re.compile(r"(?<![\w.])(?:10|15|16|17|20)\d{9}(?![\w]|\.\d)")
PHONE_RES = [
    # +51 984123456, +51 984 123 456, 0051-984-123-456
    re.compile(r"(?:\+|00)\s?51[\s-]?\(?\d{1,3}\)?(?:[\s-]?\d){6,9}(?![\w]|\.\d)"),
    # (083) 321456, (01) 4567890
    re.compile(r"\(0?\d{1,3}\)[\s-]?\d{3}[\s-]?\d{3,4}(?![\w]|\.\d)"),
    # mobiles: 9 digits starting with 9, optionally grouped 3-3-3
    re.compile(r"(?<![\w.])9\d{2}[\s-]?\d{3}[\s-]?\d{3}(?![\w]|\.\d)"),
    # landlines with a long-distance prefix: 083-321456, 01 4567890
    re.compile(r"(?<![\w.])0\d{1,2}[\s-]\d{6,7}(?![\w]|\.\d)"),
]
# a number right after a word that says it is a phone
PHONE_CONTEXT_RE = re.compile(
    r"(?i)\b(?:cel(?:ular)?|m[oó]vil|tel[eé]fono|tel[fé]?|fono|whats?app|wsp|n[uú]mero)"
    r"\b[^\d\n]{0,20}?(\+?\(?\d[\d\s().-]{4,18}\d)"
)
DNI_RE = re.compile(r"(?<![\w.])\d{8}(?![\w]|\.\d)")
# the number after "DNI", "documento"... even when it is not 8 digits long
DNI_CONTEXT_RE = re.compile(
    r"(?i)\b(?:dni|d\.n\.i\.|documento(?: de identidad)?|carn[eé] de extranjer[ií]a|"
    r"pasaporte|c[eé]dula)\b\W{0,5}(?:(?:es|n[°ºo]\.?)\s*)?(\d[\d\s.-]{5,14}\d)"
)
SECRET_RE = re.compile(
    r"(?i)\b(?:contrase[ñn]as?|claves?|password|passwd|pass|pin|c[oó]digo de acceso|"
    r"token de acceso)\b"
    r"(?P<between>[^:=\n.;?!]{0,30}?)"
    r"(?P<verb>\s*(?:[:=]|\bes\b|\bera\b|\bser[aá]\b)\s*)"
    r"[\"'«“]?(?P<secret>[^\s\"'»”]+?)[\"'»”]?(?=[,;.]?(?:\s|$)|[,;]|$)"
)
INTRO_RE = re.compile(
    r"(?i:\b(?:soy|me llamo|mi nombre es|mi nombre:|les? habla|les? saluda|"
    r"les? escribe|atentamente,?|con usted(?:es)?|att\.?))"
    r"[ \t]+(?:(?i:el|la)[ \t]+)?"
    r"(?:(?P<title>(?i:ing|ingeniera?|lic|licenciad[oa]|dra?|doctora?|sra?|srta|"
    r"se[ñn]ora?|se[ñn]orita|abog|abogad[oa]|mg|mag|prof|profesora?|cpc|arq|"
    r"arquitect[oa]|t[eé]c|tec))\.?[ \t]+)?"
    rf"(?P<name>{_NAME_RUN})"
)
# strong introductions: the name may be written in lowercase
INTRO_LOWER_RE = re.compile(
    r"(?i)\b(?:me llamo|mi nombre es)[ \t]+"
    rf"(?P<name>{_ANY_WORD}(?:[ \t]+{_ANY_WORD}){{0,3}})"
)
TITLE_RE = re.compile(
    r"(?i:\b(?:ing|ingeniera?|lic|licenciad[oa]|dra?|doctora?|sra?|srta|se[ñn]ora?|"
    r"se[ñn]orita|abog|abogad[oa]|mg|mag|prof|profesora?|cpc|arq|arquitect[oa]|"
    r"colega|compa[ñn]er[oa]|jef[ea]|asistente|secretari[oa]))"
    rf"(?:\.[ \t]*|[ \t]+)(?P<name>{_NAME_RUN})"
)
# words that end a lowercase name after "me llamo"
_NAME_STOP = {
    "y",
    "e",
    "o",
    "de",
    "del",
    "la",
    "el",
    "mi",
    "con",
    "en",
    "no",
    "desde",
    "que",
    "pero",
    "por",
    "para",
    "tengo",
    "trabajo",
    "estoy",
    "soy",
    "necesito",
    "quiero",
    "quisiera",
    "a",
    "al",
    "les",
    "le",
    "me",
    "se",
}
# capitalised words that are not names even after "soy" ("soy Jefe de...")
_NOT_NAMES = {
    "jefe",
    "jefa",
    "nuevo",
    "nueva",
    "usuario",
    "usuaria",
    "asistente",
    "secretario",
    "secretaria",
    "practicante",
    "responsable",
    "encargado",
    "encargada",
    "administrador",
    "administradora",
    "técnico",
    "tecnico",
    "el",
    "la",
    "de",
    "del",
}


def normalize(text):
    """Lowercase without accents: "Pérez" -> "perez" (ñ becomes n as well)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_WORD_RE = re.compile(r"\w+(?:['-]\w+)*", re.UNICODE)


class NameMatcher:
    """Finds known people's names in a text, as whole words.

    Built once from a list of full names ("Juan Carlos Pérez García"): every run
    of two or more consecutive words of a name, and the first name with each
    later word ("Juan Pérez", "Juan García"), normalised (lowercase, no
    accents), go into one set of word tuples. Matching a message is then one
    set look-up per word and n-gram length (at most :attr:`max_words`), however
    many names there are. Single words are not matched: a first name alone
    ("Rosa", "Luz") is too often an ordinary word.
    """

    def __init__(self, names=()):
        grams = set()
        longest = 2
        for name in names:
            words = [normalize(w) for w in _WORD_RE.findall(name or "")]
            words = [w for w in words if len(w) > 1 and w not in ("de", "del", "la", "los")]
            if len(words) < 2:
                continue
            for start in range(len(words)):
                for end in range(start + 2, len(words) + 1):
                    grams.add(tuple(words[start:end]))
            for later in words[1:]:
                grams.add((words[0], later))
            longest = max(longest, len(words))
        self.grams = frozenset(grams)
        self.max_words = longest

    def __len__(self):
        return len(self.grams)

    def spans(self, text):
        """(start, end) of every known name in ``text``, longest match first."""
        if not self.grams:
            return []
        tokens = [(m.start(), m.end(), normalize(m.group())) for m in _WORD_RE.finditer(text)]
        found = []
        i = 0
        while i < len(tokens):
            matched = 0
            for size in range(min(self.max_words, len(tokens) - i), 1, -1):
                if tuple(t[2] for t in tokens[i : i + size]) in self.grams:
                    matched = size
                    break
            if matched:
                found.append((tokens[i][0], tokens[i + matched - 1][1]))
                i += matched
            else:
                i += 1
        return found


class Sanitizer:
    """Masks personal data in a text; see the module's docstring.

    :param names: full names of the institution's people (employees), or a
        ready :class:`NameMatcher`.
    :param extra_patterns: regular expressions (strings) of other identifiers to
        mask, e.g. a foreign national ID format; invalid ones are ignored.
    """

    def __init__(self, names=(), extra_patterns=()):
        self.matcher = names if isinstance(names, NameMatcher) else NameMatcher(names)
        self.extra = []
        for pattern in extra_patterns or ():
            try:
                self.extra.append(re.compile(pattern))
            except (re.error, TypeError):
                continue

    def sanitize(self, text):
        """Return ``text`` with personal data replaced by labels."""
        if not text:
            return ""
        text = str(text)
        text = EMAIL_RE.sub(MASK_EMAIL, text)
        text = SECRET_RE.sub(self._mask_secret, text)
        text = CARD_RE.sub(MASK_CARD, text)
        text = RUC_RE.sub(MASK_RUC, text)
        text = DNI_CONTEXT_RE.sub(lambda m: self._replace_group(m, 1, MASK_ID), text)
        for regex in PHONE_RES:
            text = regex.sub(MASK_PHONE, text)
        text = PHONE_CONTEXT_RE.sub(lambda m: self._replace_group(m, 1, MASK_PHONE), text)
        text = DNI_RE.sub(MASK_ID, text)
        for regex in self.extra:
            text = regex.sub(MASK_OTHER, text)
        text = self._mask_spans(text, self.matcher.spans(text))
        text = INTRO_LOWER_RE.sub(self._mask_lower_intro, text)
        text = INTRO_RE.sub(self._mask_name_group, text)
        text = TITLE_RE.sub(self._mask_name_group, text)
        return text

    # ------------------------------------------------------------------

    @staticmethod
    def _replace_group(match, group, label):
        start, end = match.span(group)
        whole_start = match.start()
        value = match.group()
        return value[: start - whole_start] + label + value[end - whole_start :]

    @staticmethod
    def _mask_secret(match):
        secret = match.group("secret")
        if secret.startswith("[") or not secret.strip(".,;:"):
            return match.group()
        return Sanitizer._replace_group(match, "secret", MASK_SECRET)

    @staticmethod
    def _mask_spans(text, spans):
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + MASK_NAME + text[end:]
        return text

    @staticmethod
    def _mask_name_group(match):
        # "soy Jefe de..." / "soy Técnico": not a name
        return _mask_name(match, lambda word: normalize(word) in _NOT_NAMES)

    @staticmethod
    def _mask_lower_intro(match):
        # a label an earlier pass wrote ("[NOMBRE]") ends the name
        return _mask_name(match, lambda word: word.startswith("["))


def _mask_name(match, ends_name):
    """``match`` with the leading words of its ``name`` group masked: the words up to
    a stop word or the first one ``ends_name`` says is no part of a name."""
    name = match.group("name")
    kept = []
    for word in name.split():
        if normalize(word) in _NAME_STOP or ends_name(word):
            break
        kept.append(word)
    if not kept:
        return match.group()
    start = match.start("name") - match.start()
    end = start + _prefix_length(name, kept)
    value = match.group()
    return value[:start] + MASK_NAME + value[end:]


def _prefix_length(text, words):
    """Length of the prefix of ``text`` that holds ``words`` (with its spaces)."""
    position = 0
    for word in words:
        position = text.index(word, position) + len(word)
    return position
