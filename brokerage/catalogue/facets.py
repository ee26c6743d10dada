"""The catalogue's facets, each declared once.

A facet is a query parameter whose chosen values combine with OR, different
facets with AND. Its declaration says everything the catalogue needs: the
parameter name, the panel's label, the choices (from the cached vocabulary),
which choices an offer has (read from its row of the facet index), the SQL
condition for the orders the index cannot serve, and which offers count under
every choice (a national offer is in every region). The filterset
(filters.py), the counting and default-order pages (facet_index.py) and the
facet panel (selectors.py, templates/catalogue/_facets.html) all follow
FACETS; adding a facet is one entry here (and its model field).
"""

import dataclasses
from typing import Callable

from django.db import connection
from django.db.models import BooleanField, CharField, Expression, Q
from django.utils.translation import get_language, gettext_lazy as _, override

from programmes.choices import DELIVERY_MEDIUM, CostKind, OfferFormat, OrganisationKind
from programmes.models import Offer
from programmes.words import choices_in


@dataclasses.dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    label: str  # the panel's legend and the filter's label (lazy: in the page's language)
    choices: Callable  # vocabulary -> [(value in the address, label, key in the index)]
    keys: Callable  # an index row (dict) -> the offer's keys
    condition: Callable  # [keys] -> Q: offers with at least one of them (or counted everywhere)
    columns: tuple = ()  # the offer columns its index rows need
    relation: str = ""  # a many-to-many of Offer whose ids the rows carry as "<name>_ids"
    everywhere: Callable = None  # an index row -> True when the offer counts under every choice

    def describe(self):
        """What shapes cached values, for the cache fingerprint (functions by name: no memory addresses).

        The label as written in the code (no language active): the same in every process and language.
        """
        with override(None):
            label = str(self.label)
        return (self.name, label, self.columns, self.relation, self.everywhere is not None)


def uses_facet_arrays():
    """PostgreSQL keeps each offer's theme/audience/region ids on the offer row (programmes 0004)."""
    return connection.vendor == "postgresql"


class OfferColumn(Expression):
    """A column of the offer table that the model does not declare (PostgreSQL's facet arrays)."""

    def __init__(self, column, output_field=None):
        # psycopg2 reads a bigint[] as a list whatever the declared field.
        super().__init__(output_field=output_field or CharField())
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{self.column}", []


class OfferIdsOverlap(Expression):
    """`<offer alias>.<facet>_ids && ARRAY[ids]`: the offer has at least one of the ids (PostgreSQL).

    The array columns exist only on PostgreSQL, kept by triggers on the link
    tables; this names the column on whatever alias the offer table has.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, ids):
        super().__init__()
        self.column, self.ids = column, [int(pk) for pk in ids]

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{self.column} && %s::bigint[]", [self.ids]

    def __repr__(self):
        return f"OfferIdsOverlap({self.column!r}, {self.ids!r})"


def _linked(name, label, relation, *, everywhere_field=None):
    """A facet over a vocabulary linked to offers (themes, audiences, regions); keys are the ids as text."""
    column = f"{name}_ids"

    def condition(keys):
        ids = [int(key) for key in keys]
        if uses_facet_arrays():
            found = Q(OfferIdsOverlap(column, ids))
        else:
            through = getattr(Offer, relation).through
            found = Q(pk__in=through.objects.filter(**{f"{name}_id__in": ids}).values("offer_id"))
        return Q(**{everywhere_field: True}) | found if everywhere_field else found

    return Facet(
        name=name, label=label, relation=relation,
        choices=lambda vocab: [(slug, title, str(pk)) for pk, slug, title in vocab[name]],
        keys=lambda row: [str(pk) for pk in row[column] or ()],
        condition=condition,
        columns=(everywhere_field,) if everywhere_field else (),
        everywhere=(lambda row: bool(row[everywhere_field])) if everywhere_field else None,
    )


def _field(name, label, field, choices, *, key=str, db_values=None):
    """A facet over one column of the offer with fixed choices."""
    db_values = db_values or {value: value for value, _ in choices}
    return Facet(
        name=name, label=label, columns=(field,),
        choices=lambda vocab: [(value, title, value) for value, title in choices_in(choices, get_language())],
        keys=lambda row: [key(row[field])],
        condition=lambda keys: Q(**{f"{field}__in": [db_values[k] for k in keys if k in db_values]}),
    )


KINDS = OrganisationKind.choices


def _kinds_of_organisation(name, label, field):
    """Kinds of organisation listed on the offer; an offer that lists none is open to any kind (counts everywhere)."""

    def condition(keys):
        found = Q(**{field: []})
        for key in keys:
            if key in OrganisationKind.values:
                # Matches the JSON text of the list, quotes included ("school" is not in "schools").
                found |= Q(**{f"{field}__icontains": f'"{key}"'})
        return found

    return Facet(
        name=name, label=label, columns=(field,),
        choices=lambda vocab: [(value, title, value) for value, title in choices_in(KINDS, get_language())],
        keys=lambda row: list(row[field] or ()),
        condition=condition,
        everywhere=lambda row: not row[field],
    )


FACETS = (
    _linked("theme", _("Priority"), "themes"),
    _linked("audience", _("Who it is for"), "audiences"),
    _linked("region", _("Region"), "regions", everywhere_field="is_national"),
    _field("language", _("Language of delivery"), "delivery_language", DELIVERY_MEDIUM),
    _field("format", _("Format"), "format", OfferFormat.choices),
    _field("cost", _("Cost"), "cost", CostKind.choices),
    _field(
        "accredited", _("Accreditation"), "accredited", [("yes", _("Accredited")), ("no", _("Not accredited"))],
        key=lambda accredited: "yes" if accredited else "no", db_values={"yes": True, "no": False},
    ),
    _kinds_of_organisation("open_to", _("Who can take it up"), "open_to"),
)


def keys_for(facet, values, vocab):
    """The index keys of the chosen values (unknown values are dropped)."""
    known = {value: key for value, _, key in facet.choices(vocab)}
    return [known[value] for value in values if value in known]
