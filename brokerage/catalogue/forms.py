from django import forms

from brokerage.models import Enquiry


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["name", "email", "organisation", "message"]
        labels = {
            "name": "Your name",
            "email": "Your email address",
            "organisation": "Your organisation (optional)",
            "message": "Your question",
        }
        help_texts = {"email": "The answer comes to this address.", "message": "For example: dates, places, cost, whether it suits your staff."}
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 5:
            raise forms.ValidationError("Write your question in a few words so the right person can answer it.")
        return message
