"""The coordinators' CSV import of a programme's offers, as admin pages on a programme.

Upload -> preview (new, changed, unchanged, invalid rows with reasons; nothing
written) -> confirm (validated again and written in one transaction). The
file's text travels from the preview to the confirmation signed, so what is
confirmed is exactly what was previewed.
"""

from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from . import offer_import
from .csv_export import csv_response

SIGNING_SALT = "programmes.offer_import"
SIGNATURE_MAX_AGE = 60 * 60  # an hour to read the preview and confirm


class OfferImportAdminMixin:
    change_form_template = "admin/programmes/programme/change_form.html"

    def get_urls(self):
        urls = [
            path(
                "<int:programme_id>/import-offers/",
                self.admin_site.admin_view(self.import_offers_view),
                name="programmes_programme_import_offers",
            ),
            path(
                "import-offers/example.csv",
                self.admin_site.admin_view(self.import_offers_example),
                name="programmes_programme_import_offers_example",
            ),
        ]
        return urls + super().get_urls()

    def _check_import_permission(self, request):
        if not (request.user.has_perm("programmes.add_offer") and request.user.has_perm("programmes.change_offer")):
            raise PermissionDenied

    def import_offers_example(self, request):
        self._check_import_permission(request)
        return csv_response("offers-example.csv", offer_import.COLUMNS, [offer_import.EXAMPLE_ROW])

    def import_offers_view(self, request, programme_id):
        self._check_import_permission(request)
        programme = get_object_or_404(self.model, pk=programme_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "programme": programme,
            "title": gettext("Import offers into %(programme)s") % {"programme": programme.plain_name},
            "columns": offer_import.COLUMNS,
            "required_columns": sorted(offer_import.REQUIRED_COLUMNS),
            "example_url": reverse("admin:programmes_programme_import_offers_example"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            try:
                text = signing.loads(request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=SIGNATURE_MAX_AGE)
            except signing.BadSignature:
                messages.error(request, gettext("That preview has expired or was changed. Upload the file again."))
                return redirect(request.path)
            preview, written = offer_import.offer_import_apply(programme=programme, text=text, user=request.user)
            if not preview.is_valid:
                messages.error(
                    request,
                    gettext("The data changed since the preview and some rows are now invalid. Nothing was imported."),
                )
                return TemplateResponse(request, "admin/programmes/offer_import.html", {**context, "preview": preview})
            messages.success(
                request,
                gettext(
                    "Imported %(new)d new and %(changed)d changed offers into %(programme)s (%(unchanged)d unchanged)."
                ) % {
                    "new": preview.count("new"), "changed": preview.count("changed"),
                    "programme": programme.plain_name, "unchanged": preview.count("unchanged"),
                },
            )
            return redirect(reverse("admin:programmes_offer_changelist") + f"?programme__id__exact={programme.pk}")
        if request.method == "POST" and request.FILES.get("file"):
            try:
                text = offer_import.read_csv_text(request.FILES["file"])
            except offer_import.ImportFileError as error:
                context["file_error"] = str(error)
            else:
                preview = offer_import.offer_import_preview(programme=programme, text=text)
                context["preview"] = preview
                if preview.is_valid:
                    context["payload"] = signing.dumps(text, salt=SIGNING_SALT, compress=True)
        elif request.method == "POST":
            context["file_error"] = gettext("Choose a CSV file to upload.")
        return TemplateResponse(request, "admin/programmes/offer_import.html", context)
