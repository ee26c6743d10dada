"""The Jinja2 environment reads ``a.b`` as Django's templates do: a dict's key first."""

from django.template import engines


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_a_dicts_key_comes_before_its_method():
    assert render("{{ option.items }}", option={"items": "three items"}) == "three items"


def test_a_dict_without_the_key_still_gives_its_attribute():
    assert render("{{ option.items()|list|length }}", option={"a": 1, "b": 2}) == "2"


def test_objects_and_missing_names_behave_as_before():
    class Option:
        label = "Maths"

    assert render("{{ option.label }}|{{ option.missing }}|{{ d.missing }}", option=Option(), d={}) == "Maths||"


def test_a_dict_subclass_is_read_as_jinja2_reads_it():
    class Choices(dict):
        label = "attribute"

    assert render("{{ c.label }}", c=Choices(label="key")) == "attribute"
