"""welsh_forms: the forms a Welsh word may take at the start (its initial-consonant mutations)."""

import pytest

from programmes.welsh_mutations import welsh_forms


@pytest.mark.parametrize("word", ["Cymru", "Gymru", "Nghymru", "Chymru"])
def test_each_form_of_a_word_gives_every_other(word):
    assert {"cymru", "gymru", "nghymru", "chymru"} <= set(welsh_forms(word))


def test_forms_start_with_the_word_lower_cased_and_are_the_same_each_time():
    assert welsh_forms("Gymru") == ("gymru", "ymru", "ngymru", "cymru", "nghymru", "chymru")
    assert welsh_forms("Gymru") == welsh_forms("gymru")


@pytest.mark.parametrize("mutated, radical", [
    ("bont", "pont"), ("mhont", "pont"), ("phont", "pont"),  # p
    ("dref", "tref"), ("nhref", "tref"), ("thref", "tref"),  # t
    ("gyfrwng", "cyfrwng"), ("nghyfrwng", "cyfrwng"), ("chyfrwng", "cyfrwng"),  # c
    ("fachgen", "bachgen"), ("machgen", "bachgen"),  # b
    ("ddysgu", "dysgu"), ("nysgu", "dysgu"),  # d
    ("waith", "gwaith"), ("ngwaith", "gwaith"), ("ysgol", "gysgol"),  # g (the soft mutation drops it)
    ("fathemateg", "mathemateg"),  # m
    ("lythrennedd", "llythrennedd"), ("rifedd", "rhifedd"),  # ll, rh
])
def test_a_mutated_word_gives_its_radical_and_the_radical_gives_it(mutated, radical):
    assert radical in welsh_forms(mutated)
    assert mutated in welsh_forms(radical)


def test_welsh_digraphs_are_one_letter():
    # "llais" is not "l" + "lais" softened, "chwarae" not "c" + "hwarae", "ffair" not "f" + "fair".
    assert welsh_forms("llais") == ("llais", "lais")
    assert "gllais" not in welsh_forms("llais")
    assert not any(form.startswith("ghw") for form in welsh_forms("chwarae"))
    assert welsh_forms("ffair") == ("ffair",)


def test_accented_vowel_may_have_lost_a_g():
    assert welsh_forms("Ŵyliau") == ("ŵyliau", "gŵyliau", "ngŵyliau")


@pytest.mark.parametrize("word", ["ei", "fy", "dy", "nid", "ADY", "Môn"])
def test_a_word_shorter_than_four_letters_is_its_own_only_form(word):
    assert welsh_forms(word) == (word.lower(),)


@pytest.mark.parametrize("word", ["cyf2", "ôl-16", "sy'n", "gwaith_", "a:*", "x" * 3000 + "!"])
def test_a_word_not_made_of_letters_only_is_its_own_only_form(word):
    assert welsh_forms(word) == (word.lower(),)


def test_forms_stay_few():
    # The most a word gets: a g- or b-word's own soft and nasal forms, and the c or p it may come from in four.
    for word in ["fathemateg", "lanw", "rifedd", "gwaith", "bont", "cymru", "aros", "x" * 3000]:
        assert len(welsh_forms(word)) <= 6
