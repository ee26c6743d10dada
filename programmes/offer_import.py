"""Import a programme's offers from a CSV file: parse and preview, then apply all or nothing.

`offer_import_preview` reads the file and says, row by row, what would happen
(new, changed, unchanged or invalid, with the reasons) and writes nothing.
`offer_import_apply` validates again (the database may have changed since the
preview) and writes every row in one transaction, or none if any row is invalid.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from .choices import DELIVERY_MEDIUM, CostKind, DeliveryLanguage, OfferFormat, OfferStatus, OrganisationKind
from .models import Audience, Offer, Region, RegionalWorker, Theme
from .workspace.forms import offer_rule_errors

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024

COLUMNS = [
    "slug", "title", "summary", "description", "themes", "audiences", "regions", "is_national",
    "format", "cost", "price", "funding_note", "accredited", "accreditation", "level",
    "starts_on", "ends_on", "is_rolling", "contact", "status", "open_to", "open_to_condition", "delivery_language",
    "title_cy", "summary_cy", "description_cy", "open_to_condition_cy",
]
WELSH_COLUMNS = ["title_cy", "summary_cy", "description_cy", "open_to_condition_cy"]
# Columns added after files were first exported, and the Welsh versions, are optional: a file
# without one leaves that field of its offers as it is (a new offer gets the field's default).
OPTIONAL_COLUMNS = ["open_to", "open_to_condition", "delivery_language", *WELSH_COLUMNS]
# The file's "title" is the English one, whatever the language of the admin that imports it
# (the model's "title" is the page language's: modeltranslation).
MODEL_FIELDS = {
    "title": "title_en_gb", "summary": "summary_en_gb", "description": "description_en_gb",
    "open_to_condition": "open_to_condition_en_gb",
}
REQUIRED_COLUMNS = {"title", "summary", "themes", "audiences", "format"}
SCALAR_FIELDS = [
    "title", "summary", "description", "is_national", "format", "cost", "price", "funding_note",
    "accredited", "accreditation", "level", "starts_on", "ends_on", "is_rolling", "contact", "status",
]
M2M_FIELDS = ["themes", "audiences", "regions"]
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}


# The csv module's own limit on one cell (131,072 characters); a longer one makes the whole file unreadable.
CELL_LIMIT = csv.field_size_limit()
# The text columns and how long each may be: the model field's own max_length, so the two cannot drift.
TEXT_LIMITS = {
    name: Offer._meta.get_field(name).max_length
    for name in (
        "slug", "title", "summary", "description", "funding_note", "accreditation", "level", "open_to_condition",
        *WELSH_COLUMNS,
    )
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV, too big, columns missing)."""


# What the preview calls each kind of row.
ROW_KIND_LABELS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("changed"),
    "unchanged": gettext_lazy("unchanged"),
    "invalid": gettext_lazy("invalid"),
}


def _too_long(column, limit, length):
    return gettext("%(column)s: at most %(limit)d characters (it has %(length)d).") % {
        "column": column, "limit": limit, "length": length
    }


def _shown(value, limit=40):
    """A cell's text as quoted back in a message: never the whole of a very long one."""
    return value if len(value) <= limit else value[:limit] + "…"


@dataclass
class ImportRow:
    line: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    offer: Offer | None = None
    changed_fields: list = field(default_factory=list)

    @property
    def kind(self):
        if self.errors:
            return "invalid"
        if self.offer is None:
            return "new"
        return "changed" if self.changed_fields else "unchanged"

    @property
    def title(self):
        return self.raw.get("title", "").strip() or gettext("(no title)")

    @property
    def kind_label(self):
        return ROW_KIND_LABELS[self.kind]


@dataclass
class ImportPreview:
    rows: list
    file_errors: list = field(default_factory=list)

    def count(self, kind):
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def is_valid(self):
        return not self.file_errors and self.rows and all(row.kind != "invalid" for row in self.rows)

    @property
    def counts(self):
        return {kind: self.count(kind) for kind in ("new", "changed", "unchanged", "invalid")}


def read_csv_text(uploaded):
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            gettext("The file is larger than %(mb)d MB: split it into smaller files.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(gettext("The file is not readable text: save it as CSV (UTF-8) and try again."))


class _Lookups:
    """Vocabulary loaded once per import, matched by slug or name without case."""

    def __init__(self):
        self.themes = self._index(Theme.objects.all())
        self.audiences = self._index(Audience.objects.all())
        self.regions = self._index(Region.objects.all())
        self.workers = {}
        for worker in RegionalWorker.objects.select_related("user"):
            for key in (worker.slug, worker.user.email, worker.public_email):
                if key:
                    self.workers[key.casefold()] = worker

    @staticmethod
    def _index(queryset):
        index = {}
        for obj in queryset:
            index[obj.slug.casefold()] = obj
            index[obj.name.casefold()] = obj
        return index


def _choice(value, choices, column, errors):
    value = value.strip()
    for key, label in choices:
        if value.casefold() in (key.casefold(), str(label).casefold()):
            return key
    errors.append(
        gettext("%(column)s: “%(value)s” is not one of %(allowed)s.")
        % {"column": column, "value": _shown(value), "allowed": ", ".join(k for k, _ in choices)}
    )
    return None


def _bool(value, column, errors):
    folded = value.strip().casefold()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    errors.append(gettext("%(column)s: write yes or no, not “%(value)s”.") % {"column": column, "value": _shown(value)})
    return None


def _date(value, column, errors):
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(
        gettext("%(column)s: “%(value)s” is not a date (use 2027-03-31 or 31/03/2027).")
        % {"column": column, "value": _shown(value)}
    )
    return None


def _kinds(value, column, errors):
    """Kinds of organisation by value or name, separated by semicolons; empty or "any": any kind."""
    items = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    if [item.casefold() for item in items] in ([], ["any"]):
        return []
    found = set()
    for item in items:
        kind = _choice(item, OrganisationKind.choices, column, errors)
        if kind:
            found.add(kind)
    return [kind for kind in OrganisationKind.values if kind in found]


# A language of delivery as coordinators write it: its value, its names in the portal, and plain words.
LANGUAGE_WORDS = {
    DeliveryLanguage.ENGLISH: ("english", "saesneg", "english-medium", "cyfrwng saesneg"),
    DeliveryLanguage.WELSH: ("welsh", "cymraeg", "welsh-medium", "welsh medium", "cyfrwng cymraeg"),
    DeliveryLanguage.BILINGUAL: ("bilingual", "dwyieithog", "welsh and english", "english and welsh"),
}


def _delivery_language(value, column, errors):
    """en, cy or bilingual, or a name of one (English, Welsh, Cymraeg, Welsh-medium, Bilingual...); empty: English."""
    folded = " ".join(value.casefold().split())
    if not folded:
        return DeliveryLanguage.ENGLISH
    for language, words in LANGUAGE_WORDS.items():
        names = {language.value, str(language.label).casefold(), str(dict(DELIVERY_MEDIUM)[language]).casefold()}
        if folded in names or folded in words:
            return language.value
    errors.append(
        f"{column}: “{_shown(value)}” is not one of {', '.join(DeliveryLanguage.values)} (or English, Welsh, bilingual)."
    )
    return None


def _many(value, index, column, errors, required):
    items = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    found, unknown = [], []
    for item in items:
        obj = index.get(item.casefold())
        (found if obj else unknown).append(obj or item)
    if unknown:
        errors.append(
            gettext("%(column)s: not known: %(items)s.")
            % {"column": column, "items": ", ".join(_shown(item) for item in unknown)}
        )
    elif required and not found:
        errors.append(gettext("%(column)s: give at least one (slugs or names, separated by semicolons).") % {"column": column})
    return sorted({obj.pk for obj in found})


def _parse_row(row, lookups, errors):
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731 - a local shorthand
    values = {
        "title": get("title"),
        "summary": get("summary"),
        "description": get("description"),
        "themes": _many(get("themes"), lookups.themes, "themes", errors, required=True),
        "audiences": _many(get("audiences"), lookups.audiences, "audiences", errors, required=True),
        "regions": _many(get("regions"), lookups.regions, "regions", errors, required=False),
        "is_national": _bool(get("is_national"), "is_national", errors),
        "format": _choice(get("format"), OfferFormat.choices, "format", errors),
        "cost": _choice(get("cost") or CostKind.FREE, CostKind.choices, "cost", errors),
        "price": None,
        "funding_note": get("funding_note"),
        "accredited": _bool(get("accredited"), "accredited", errors),
        "accreditation": get("accreditation"),
        "level": get("level"),
        "starts_on": _date(get("starts_on"), "starts_on", errors),
        "ends_on": _date(get("ends_on"), "ends_on", errors),
        "is_rolling": _bool(get("is_rolling"), "is_rolling", errors),
        "contact": None,
        "status": _choice(get("status") or OfferStatus.DRAFT, OfferStatus.choices, "status", errors),
        "open_to": _kinds(get("open_to"), "open_to", errors),
        "open_to_condition": get("open_to_condition"),
        "delivery_language": _delivery_language(get("delivery_language"), "delivery_language", errors),
        **{name: get(name) or None for name in WELSH_COLUMNS},
    }
    for name in OPTIONAL_COLUMNS:
        if name not in row:  # the file lacks the column: the offer's field stays as it is
            del values[name]
    if not values["title"]:
        errors.append(gettext("title: every offer needs a title."))
    if not values["summary"]:
        errors.append(gettext("summary: every offer needs a plain summary."))
    for name, limit in TEXT_LIMITS.items():
        # The summary's limit is explained by offer_rule_errors below, as the workspace form does.
        if name not in ("slug", "summary", "summary_cy") and len(values.get(name) or "") > limit:
            errors.append(_too_long(name, limit, len(values[name])))
    if get("price"):
        try:
            values["price"] = Decimal(get("price").lstrip("£").replace(",", ""))
            if values["price"] < 0 or values["price"] >= Decimal("1000000"):
                raise InvalidOperation
            values["price"] = values["price"].quantize(Decimal("0.01"))
        except InvalidOperation:
            errors.append(gettext("price: “%(value)s” is not an amount in pounds.") % {"value": _shown(get("price"))})
    if get("contact"):
        values["contact"] = lookups.workers.get(get("contact").casefold())
        if values["contact"] is None:
            errors.append(
                gettext("contact: no regional worker has the slug or email “%(value)s”.") % {"value": _shown(get("contact"))}
            )
    for rule_field, message in offer_rule_errors(values, status=values["status"]).items():
        errors.append(f"{rule_field}: {message}")
    if values.get("summary_cy"):
        for message in offer_rule_errors({"summary": values["summary_cy"]}, status=None).values():
            errors.append(f"summary_cy: {message}")
    return values


def _scalar_fields(values):
    """The columns a row writes: every scalar one, and the optional ones the file has."""
    return SCALAR_FIELDS + [name for name in OPTIONAL_COLUMNS if name in values]


def _changed_fields(offer, values):
    changed = []
    for name in _scalar_fields(values):
        current = getattr(offer, MODEL_FIELDS.get(name, name))
        if name in WELSH_COLUMNS:
            current = current or None  # no Welsh version, stored as NULL or ""
        elif name in MODEL_FIELDS:
            current = current or ""  # an English text column left NULL by an older way of creating offers
        if name == "price" and current is not None:
            current = Decimal(current).quantize(Decimal("0.01"))
        if current != values[name]:
            changed.append(name)
    for name in M2M_FIELDS:
        if sorted(getattr(offer, name).values_list("pk", flat=True)) != values[name]:
            changed.append(name)
    return changed


def offer_import_preview(*, programme, text):
    """What importing `text` into `programme` would do; writes nothing."""
    try:
        return _preview(programme, text)
    except csv.Error as error:
        # The file as a whole cannot be read past this point: nothing is half-previewed.
        if "field larger than field limit" in str(error):
            message = gettext(
                "A cell is longer than %(limit)s characters, which no offer field holds. Check the file."
            ) % {"limit": f"{CELL_LIMIT:,}"}
        else:
            message = gettext("The file could not be read as CSV (%(error)s). Save it as CSV (UTF-8) and try again.") % {
                "error": error
            }
        return ImportPreview(rows=[], file_errors=[message])


def _preview(programme, text):
    # newline="": the csv module itself reads \n, \r\n and a lone \r (old Mac files) as line ends,
    # and keeps line breaks inside quoted cells.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().casefold() for h in (reader.fieldnames or [])]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        message = gettext("The first line must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        return ImportPreview(rows=[], file_errors=[message])
    unknown = [_shown(h) for h in header if h not in COLUMNS]
    if unknown:
        message = gettext("Unknown columns: %(unknown)s. Allowed: %(allowed)s.") % {
            "unknown": ", ".join(unknown), "allowed": ", ".join(COLUMNS)
        }
        return ImportPreview(rows=[], file_errors=[message])
    reader.fieldnames = header
    lookups = _Lookups()
    existing = {o.slug: o for o in Offer.objects.filter(programme=programme).prefetch_related(*M2M_FIELDS)}
    rows, seen_slugs = [], {}
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            return ImportPreview(rows=[], file_errors=[gettext("At most %(rows)d rows per file.") % {"rows": MAX_ROWS}])
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue  # blank line
        row = ImportRow(line=number, raw={k: (v or "") for k, v in raw.items() if k})
        with_nul = [k for k, v in row.raw.items() if "\x00" in v]
        if with_nul:
            # A NUL character is no text anyone typed, and PostgreSQL refuses to store one.
            row.errors.append(
                gettext("%(columns)s: a NUL character (an invisible control character); remove it.")
                % {"columns": ", ".join(with_nul)}
            )
            row.raw = {k: v.replace("\x00", "") for k, v in row.raw.items()}
        row.values = _parse_row(row.raw, lookups, row.errors)
        slug = slugify(row.raw.get("slug") or "") or slugify(row.values["title"])[:200]
        if len(slug) > TEXT_LIMITS["slug"]:
            row.errors.append(_too_long("slug", TEXT_LIMITS["slug"], len(slug)))
            slug = slug[: TEXT_LIMITS["slug"]]
        row.values["slug"] = slug
        if slug in seen_slugs:
            row.errors.append(
                gettext("slug: “%(slug)s” is also on line %(line)d; each offer once per file.")
                % {"slug": slug, "line": seen_slugs[slug]}
            )
        seen_slugs.setdefault(slug, number)
        row.offer = existing.get(slug)
        if row.offer is None and slug and Offer.objects.filter(slug=slug).exclude(programme=programme).exists():
            row.errors.append(gettext("slug: “%(slug)s” belongs to another programme's offer; choose another slug.") % {"slug": slug})
        if row.offer is not None and not row.errors:
            row.changed_fields = _changed_fields(row.offer, row.values)
        rows.append(row)
    if not rows:
        return ImportPreview(rows=[], file_errors=[gettext("The file has no offers in it (only the header line).")])
    return ImportPreview(rows=rows)


def offer_import_apply(*, programme, text, user=None):
    """Validate again and write every new or changed row in one transaction, or nothing."""
    preview = offer_import_preview(programme=programme, text=text)
    if not preview.is_valid:
        return preview, 0
    written = 0
    with transaction.atomic():
        for row in preview.rows:
            if row.kind == "unchanged":
                continue
            offer = row.offer or Offer(programme=programme, slug=row.values["slug"])
            was_published = offer.pk is not None and offer.status == OfferStatus.PUBLISHED
            for name in _scalar_fields(row.values):
                setattr(offer, MODEL_FIELDS.get(name, name), row.values[name])
            if offer.status == OfferStatus.PUBLISHED and not was_published:
                offer.published_at = timezone.now()
            offer.last_reviewed_on = timezone.localdate()
            offer._change_reason = gettext_noop("CSV import")  # stored in English, translated when shown
            if user is not None:
                offer._history_user = user
            offer.save()
            for name in M2M_FIELDS:
                getattr(offer, name).set(row.values[name])
            written += 1
    return preview, written


# The example file a coordinator can download and fill in: the columns, then this row.
EXAMPLE_ROW = [
    "maths-coaching-devon", "Maths coaching for FE teachers",
    "Half-termly coaching visits for maths teachers in further education.", "",
    "maths-and-numeracy", "fe-lecturers-and-tutors", "devon;cornwall-and-the-isles-of-scilly", "no",
    "coaching", "free", "", "Funded until March", "no", "", "", "2027-01-10", "2027-07-20", "no",
    "", "draft", "college;work_based", "Funded for FE and work-based maths teachers in the South West", "en",
    "", "", "", "",
]
