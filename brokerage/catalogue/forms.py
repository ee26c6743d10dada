from django import forms
from django.utils.translation import gettext_lazy as _

from brokerage.models import Enquiry


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["name", "email", "organisation", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email address"),
            "organisation": _("Your organisation (optional)"),
            "message": _("Your question"),
        }
        help_texts = {
            "email": _("The answer comes to this address."),
            "message": _("For example: dates, places, cost, whether it suits your staff."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 5:
            raise forms.ValidationError(_("Write your question in a few words so the right person can answer it."))
        return message
