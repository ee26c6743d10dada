"""Admin pieces that answer odd input with the admin's own errors instead of a 500.

- The autocomplete widgets show a bound form's chosen objects by looking up the
  posted values as they are; a value that is no id at all ("9999-12-31") made
  that lookup raise while the form was being shown again with its errors. The
  form field still says the value is not a valid choice.
- The date hierarchy turns `?starts_on__year=99999999999999999999` into a
  date, which overflows; the changelist now treats it as any other unusable
  filter (IncorrectLookupParameters: the list again, with ?e=1).

Every ModelAdmin and inline with autocomplete_fields or a date_hierarchy mixes
in ReadableInputAdminMixin. It lives in `programmes`, the lowest app, so that
every app's admin may import it.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ReadableValuesOnly:
    """Shows only the chosen values the related model's key can read; the form field reports the others."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        readable = []
        for item in value:
            try:
                target.get_prep_value(target.to_python(item))
            except (ValidationError, ValueError, TypeError):
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class ReadableAutocompleteSelect(_ReadableValuesOnly, AutocompleteSelect):
    pass


class ReadableAutocompleteSelectMultiple(_ReadableValuesOnly, AutocompleteSelectMultiple):
    pass


class OverflowSafeChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class ReadableInputAdminMixin:
    """For ModelAdmins and inlines: the widgets and changelist above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return OverflowSafeChangeList
