"""Plain-language help for workers writing offers: unknown acronyms and reading ease.

Pure functions, no database: the caller passes the acronyms the glossary knows.
The reading-ease score is Flesch's (1948) formula,
206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words),
with a simple English syllable estimate (good to within a syllable for most
words, which is all a hint needs).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

# A token with at least two capital letters: ESOL, CPD, SfL, GCSEs, QTLS.
_TOKEN = re.compile(r"\b[A-Za-z][A-Za-z0-9&]*\b")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

# Below this the summary gets a hint; 60+ is "plain English" on Flesch's scale.
HARD_TO_READ_BELOW = 50
FAIRLY_HARD_BELOW = 60


def acronyms_in(text):
    """The acronyms used in `text`, in order of first use, without repeats."""
    found = []
    for token in _TOKEN.findall(text or ""):
        capitals = sum(1 for ch in token if ch.isupper())
        if capitals < 2:
            continue
        # A plural acronym (GCSEs) is the acronym itself.
        if len(token) > 2 and token.endswith("s") and token[:-1].isupper():
            token = token[:-1]
        if token not in found:
            found.append(token)
    return found


def unknown_acronyms(text, known):
    """Acronyms in `text` that are not in `known` (compared without case)."""
    known_folded = {k.casefold() for k in known}
    return [a for a in acronyms_in(text) if a.casefold() not in known_folded]


def syllable_count(word):
    word = word.lower().strip("'’")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    # A silent final e (make, course), but not -le after a consonant (table).
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    elif word.endswith("es") or word.endswith("ed"):
        if not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "xes")):
            word = word[:-2]
    return max(1, len(_VOWEL_GROUPS.findall(word)))


def flesch_reading_ease(text):
    """Flesch reading ease of `text` (higher is easier), or None when there are no words."""
    words = _WORD.findall(text or "")
    if not words:
        return None
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() + " ")))
    syllables = sum(syllable_count(w) for w in words)
    score = 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))
    return round(score, 1)


@dataclass
class PlainLanguageReport:
    score: float | None
    verdict: str
    hint: str
    unknown_acronyms: list = field(default_factory=list)

    @property
    def is_hard(self):
        return self.score is not None and self.score < HARD_TO_READ_BELOW

    @property
    def needs_attention(self):
        return bool(self.unknown_acronyms) or (self.score is not None and self.score < FAIRLY_HARD_BELOW)


def plain_language_report(text, known_acronyms):
    score = flesch_reading_ease(text)
    if score is None:
        verdict, hint = gettext("No text to check"), ""
    elif score < HARD_TO_READ_BELOW:
        verdict = gettext("Hard to read")
        hint = gettext(
            "Try shorter sentences (under 20 words) and everyday words: "
            "'help' rather than 'facilitate', 'use' rather than 'utilise'."
        )
    elif score < FAIRLY_HARD_BELOW:
        verdict = gettext("Fairly hard to read")
        hint = gettext("Splitting the longest sentence in two would make it easier to take in.")
    else:
        verdict, hint = gettext("Plain and easy to read"), ""
    return PlainLanguageReport(
        score=score, verdict=verdict, hint=hint, unknown_acronyms=unknown_acronyms(text, known_acronyms)
    )
