import pytest

from programmes.plain_language import (
    acronyms_in,
    flesch_reading_ease,
    plain_language_report,
    syllable_count,
    unknown_acronyms,
)


@pytest.mark.parametrize(
    "word,expected",
    [("cat", 1), ("course", 1), ("teacher", 2), ("table", 2), ("learning", 2), ("education", 4), ("make", 1)],
)
def test_syllable_count_common_words(word, expected):
    assert syllable_count(word) == expected


def test_flesch_reading_ease_simple_text_scores_high():
    assert flesch_reading_ease("The cat sat on the mat. We like it.") > 90


def test_flesch_reading_ease_matches_the_formula():
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015*6 - 84.6*1
    assert flesch_reading_ease("The cat sat on the mat.") == pytest.approx(116.1, abs=0.05)


def test_flesch_reading_ease_dense_text_scores_low():
    text = (
        "Comprehensive organisational transformation necessitates institutionalised interdisciplinary "
        "collaboration between stakeholders."
    )
    assert flesch_reading_ease(text) < 10


def test_flesch_reading_ease_no_words_is_none():
    assert flesch_reading_ease("  ... ") is None


def test_acronyms_in_finds_mixed_and_plural_forms_once():
    assert acronyms_in("ESOL and SfL staff, two GCSEs, ESOL again, I and A.") == ["ESOL", "SfL", "GCSE"]


def test_unknown_acronyms_ignores_case_of_known_terms():
    assert unknown_acronyms("CPD for ESOL and QTLS", ["cpd", "ESOL"]) == ["QTLS"]


def test_plain_language_report_easy_text_needs_no_attention():
    report = plain_language_report("Free help for maths teachers. We visit you.", [])
    assert (report.verdict, report.needs_attention) == ("Plain and easy to read", False)
