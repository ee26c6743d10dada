"""The forms a Welsh word takes at the start: its initial-consonant mutations, undone and applied.

Welsh changes a word's first letters after certain words: "Cymru" is "i Gymru"
(soft mutation), "yng Nghymru" (nasal), "a Chymru" (aspirate). There is no
Welsh stemmer in PostgreSQL or SQLite, and a prefix does not help here (the
change is at the front), so search looks for each of a word's forms instead.

Without a dictionary a form cannot say which word it came from ("gymru" may be
"cymru" softened or a word of its own), so every candidate is kept: the word,
the radicals it may be a mutation of, and each radical's soft, nasal and
aspirate forms. A few of them are not real words; they cost a little
precision and lose no match. Not covered: the h put before a vowel ("ei
henw" for "enw"), which would make every h-word match its vowel-word.
"""

import re

# Shorter words ("dy", "ei", "nid") would match too much once mutated.
SHORTEST_MUTABLE_WORD = 4

# A radical initial and its (soft, nasal, aspirate) forms; None where that mutation leaves it alone.
# The soft mutation of g drops it: "gwaith" -> "ei waith".
MUTATIONS = {
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m", None),
    "d": ("dd", "n", None),
    "g": ("", "ng", None),
    "m": ("f", None, None),
    "ll": ("l", None, None),
    "rh": ("r", None, None),
}


def _radicals_by_initial():
    """{mutated initial: the radical initials it may come from}, read from MUTATIONS ("f": b or m softened)."""
    found = {}
    for radical, forms in MUTATIONS.items():
        for form in forms:
            if form:  # the dropped g is found by AFTER_LOST_G
                found.setdefault(form, []).append(radical)
    return found


RADICALS = _radicals_by_initial()

# A word's first letter, read as Welsh spells it: a digraph ("ll", "ch", "ngh"...) is one letter,
# so "llais" is never "l" + "lais" and "chwarae" is never "c" + "hwarae".
INITIAL = re.compile(r"ngh|mh|nh|ng|ch|dd|ff|ll|ph|rh|th|.", re.DOTALL)

# A word whose g the soft mutation dropped starts with a vowel (w and y are vowels in Welsh), l or r.
AFTER_LOST_G = frozenset("aeiouwylr")
ACCENTS = str.maketrans("âáàäêéèëîíìïôóòöûúùüŵẃẁẅŷýỳÿ", "aaaaeeeeiiiioooouuuuwwwwyyyy")

# Only a word made of letters has forms (digits, apostrophes, hyphens: left as typed); search also uses it to
# let nothing but letters into a raw tsquery.
LETTERS = re.compile(r"[^\W\d_]+")


def _initial(word):
    return INITIAL.match(word).group()


def radicals(word):
    """The word and the radical forms it may be a mutation of, in a fixed order.

    "gymru" -> gymru, cymru; "nghymru" -> nghymru, cymru; "fam" -> fam, bam, mam; "wlad" -> wlad, gwlad.
    """
    initial = _initial(word)
    rest = word[len(initial):]
    found = [word] + [radical + rest for radical in RADICALS.get(initial, ())]
    if initial.translate(ACCENTS) in AFTER_LOST_G:
        found.append("g" + word)
    return found


def mutations(radical):
    """The radical and its soft, nasal and aspirate forms: "cymru" -> cymru, gymru, nghymru, chymru."""
    initial = _initial(radical)
    rest = radical[len(initial):]
    return [radical] + [form + rest for form in MUTATIONS.get(initial, ()) if form is not None]


def welsh_forms(word):
    """Every form the Welsh word may take at the start, the word (lower case) first, each once.

    "Gymru" -> gymru, ymru, ngymru, cymru, nghymru, chymru. A word shorter than
    SHORTEST_MUTABLE_WORD letters, or not made of letters only, is its own only form.
    """
    word = word.lower()
    if len(word) < SHORTEST_MUTABLE_WORD or not LETTERS.fullmatch(word):
        return (word,)
    forms = {}
    for radical in radicals(word):
        for form in mutations(radical):
            forms.setdefault(form, None)
    return tuple(forms)
