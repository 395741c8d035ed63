from django import forms
from django.conf import settings

from indicators.models import Period
from organisation.models import Service

from .reading import _size


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx) or a CSV file.",
        error_messages={"required": "Choose the file to import.", "empty": "The file you chose is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PMIS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {_size(upload.size)}; files up to {_size(limit)} can be imported."
            )
        return upload

    def choices(self) -> dict:
        """The importer's choices given with the file."""
        return {}


class FrameworkUploadForm(UploadForm):
    remove_targets = forms.BooleanField(
        label="Remove the targets of these indicators that the file does not give",
        required=False,
        help_text="Otherwise they are kept. Either way the preview lists them before anything is saved.",
    )

    def choices(self) -> dict:
        return {"remove_targets": True} if self.cleaned_data.get("remove_targets") else {}


class BenchmarksUploadForm(UploadForm):
    group = forms.CharField(
        label="Comparator group",
        required=False,
        max_length=100,
        help_text="For rows without a group column: for example CIPFA nearest neighbours, All districts or "
        "All Scottish councils.",
    )

    def choices(self) -> dict:
        group = self.cleaned_data.get("group", "").strip()
        return {"group": group} if group else {}


class TemplateForm(forms.Form):
    """Which returns template to download: a period, and a service or the user's own indicators."""

    period = forms.ModelChoiceField(
        queryset=Period.objects.none(),
        label="Period",
        empty_label="Choose a period",
        error_messages={"required": "Choose the period.", "invalid_choice": "Choose one of the periods listed."},
    )
    scope = forms.ChoiceField(
        label="Indicators",
        error_messages={"required": "Choose whose indicators.", "invalid_choice": "Choose one of the options listed."},
    )

    def __init__(self, *args, periods, services: list[Service], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["scope"].choices = [("mine", "All the indicators I report")] + [
            (str(service.pk), service.name) for service in services
        ]

    def service(self, services: list[Service]) -> Service | None:
        scope = self.cleaned_data["scope"]
        return next((s for s in services if str(s.pk) == scope), None)


class ApplyForm(forms.Form):
    """Importing a checked returns file: confirming the figures queried, submitting the
    complete ones, and why validated figures change."""

    confirmed = forms.BooleanField(required=False, label="I have checked the queried figures: they are right")
    submit = forms.BooleanField(
        required=False, label="Submit the complete figures now (those needing commentary stay as drafts)"
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why are validated figures being changed?",
    )

    def __init__(self, *args, summary: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary = summary
        if not summary.get("queries"):
            del self.fields["confirmed"]
        if not summary.get("validated"):
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if "confirmed" in self.fields and not data.get("confirmed"):
            self.add_error(
                "confirmed", "Confirm that the queried figures are right, or correct the file and upload it again."
            )
        if "reason" in self.fields and not data.get("reason", "").strip():
            self.add_error("reason", "Say why the validated figures are being changed.")
        return data

    def options(self) -> dict:
        return {
            "confirmed": self.cleaned_data.get("confirmed", False),
            "submit": self.cleaned_data.get("submit", False),
            "reason": self.cleaned_data.get("reason", ""),
        }
