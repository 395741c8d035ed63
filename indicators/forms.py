from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from organisation.models import Directorate, Service
from pmis.web import form_errors

from . import definitions, rag, services
from .figures import parse_figure
from .models import (
    RATE_WORDS,
    Frequency,
    Indicator,
    Kind,
    Outturn,
    OutturnState,
    Period,
    Profile,
    Rag,
    ToleranceMode,
    Unit,
)
from .returns import figure_queries
from .targets import Row, shape, spread
from .year_to_date import entered_to_date


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class OutturnForm(forms.Form):
    """A figure for one indicator and period. The service checks it against the indicator."""

    value = forms.CharField(label="Figure", required=False, max_length=40)
    numerator = forms.CharField(label="Numerator", required=False, max_length=40)
    denominator = forms.CharField(label="Denominator", required=False, max_length=40)
    not_available_reason = forms.CharField(
        label="If there is no figure, why not?",
        required=False,
        widget=forms.Textarea,
        help_text="Leave empty when you enter a figure. Never enter 0 for a missing figure.",
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        widget=forms.Textarea,
        help_text="What the figure means. Required when the figure is Red or Amber: what went wrong "
        "and what is being done about it.",
    )
    # Whether the rating makes the commentary required before submitting (see rated()).
    commentary_required = False
    commentary_is_public = forms.BooleanField(
        label="Show this commentary on the public pages",
        required=False,
        help_text="Residents see it beside the figure once it is validated. Leave unticked to keep it internal.",
    )
    amendment_reason = forms.CharField(
        label="Why is this locked figure being amended?", required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Shown only when the figure is queried (indicators.returns.figure_queries).
    confirmed = forms.BooleanField(label="Yes, this figure is right", required=False)

    def __init__(self, *args, indicator: Indicator, locked: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        places = indicator.decimal_places
        self.fields["value"].help_text = ngettext(
            "In %(unit)s, to %(places)d decimal place.", "In %(unit)s, to %(places)d decimal places.", places
        ) % {"unit": indicator.get_unit_display().lower(), "places": places}
        self.to_date = entered_to_date(indicator)
        # Entered per period, a cumulative percentage's year to date is added up from these.
        self.numerator_required = indicator.is_cumulative and not self.to_date
        if self.to_date:
            self.fields["value"].label = "Figure for the year to date"
            self.fields["value"].help_text += " The year so far, not this period alone."
        if indicator.unit not in (Unit.PERCENTAGE, *RATE_WORDS, Unit.RATIO):
            del self.fields["numerator"], self.fields["denominator"]
        elif self.to_date:
            self.fields[
                "numerator"
            ].help_text = "For the year to date. Optional: with them, this period's own figure is worked out too."
        elif indicator.is_cumulative:
            self.fields["numerator"].help_text = "Required: the year to date is worked out from these."
        if not locked:
            del self.fields["amendment_reason"]

    def rated(self, rating) -> None:
        """Label the commentary as required once the figure's rating (a Rating, or None) is
        known to need it: a Red or Amber figure is submitted only with commentary."""
        if rating is not None and rag.needs_commentary(rating.rag, ""):
            self.commentary_required = True
            hint = (
                f"Required to submit: the figure is rated {rating.get_rag_display()}. "
                "Say what went wrong and what is being done about it."
            )
            # The bound field copies the hint when first made (by cleaning the form).
            self.fields["commentary"].help_text = self["commentary"].help_text = hint

    @staticmethod
    def initial_for(outturn) -> dict:
        """The form's starting values for correcting a saved figure (empty for a new one)."""
        if outturn is None:
            return {}
        places = outturn.indicator.decimal_places
        return {
            "version": outturn.version,
            "value": "" if outturn.value is None else f"{outturn.value:.{places}f}",
            "numerator": _plain(outturn.numerator),
            "denominator": _plain(outturn.denominator),
            "not_available_reason": outturn.not_available_reason,
            "commentary": outturn.commentary,
            "commentary_is_public": outturn.commentary_is_public,
        }

    def save(self, *, period, by):
        """Record the figure through services.outturn_record (which may raise ValidationError,
        or ConflictError when someone saved since the form was opened: a blank version means
        it was opened before there was a figure).

        A figure unusual against the indicator's history is not saved until confirmed: the
        queries are put to the person at the confirmation box, and None is returned."""
        if not self.cleaned_data.get("confirmed"):
            arguments = self.arguments()
            value = services.outturn_check(
                period=period,
                **{k: arguments[k] for k in ("indicator", "value", "numerator", "denominator", "not_available_reason")},
            )
            queries = figure_queries(self.indicator, period, value)
            for query in queries:
                self.add_error("confirmed", query)
            if queries:
                return None
        return services.outturn_record(period=period, by=by, **self.arguments())

    def arguments(self) -> dict:
        """The cleaned figure as services.outturn_record's arguments, but for period and by."""
        data = self.cleaned_data
        return {
            "indicator": self.indicator,
            "value": data["value"],
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "not_available_reason": data["not_available_reason"],
            "commentary": data["commentary"],
            "commentary_is_public": data.get("commentary_is_public", False),
            "amendment_reason": data.get("amendment_reason", ""),
            "expected_version": data["version"] or 0,
        }

    def _figure(self, name: str, what: str):
        return parse_figure(self.cleaned_data.get(name, ""), self.indicator, what, may_be_missing=True)

    def clean_value(self):
        return self._figure("value", "The figure")

    def clean_numerator(self):
        return self._figure("numerator", "The numerator")

    def clean_denominator(self):
        return self._figure("denominator", "The denominator")


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change?", widget=forms.Textarea, error_messages={"required": "Say why it is sent back."}
    )


class BulkOutturnForm(OutturnForm):
    """One row of bulk entry: the figure for one indicator. Rows left as they were are not saved."""

    def __init__(self, *args, indicator: Indicator, locked: bool, **kwargs):
        super().__init__(*args, indicator=indicator, locked=locked, **kwargs)
        # The label names the indicator, so that the error summary and a screen reader
        # moving between rows say which figure is meant.
        what = "Year-to-date figure" if self.to_date else "Figure"
        self.fields["value"].label = f"{what} for {indicator.code}"

    def changed(self) -> bool:
        """Whether to save the row: it was neither left empty nor left as it was."""
        typed = any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields if name != "version")
        if not typed and not self.data.get(self.add_prefix("version")):
            # Empty when opened and left empty, even if someone has entered a figure since.
            return False
        # The version alone differs when someone saved the same figure again meanwhile.
        return bool(set(self.changed_data) - {"version"})

    def show(self, outturn: Outturn) -> None:
        """Show the figure as it now is, in place of what was posted."""
        for name, value in OutturnForm.initial_for(outturn).items():
            if name in self.fields:
                self.data[self.add_prefix(name)] = str(value)


class BaseBulkOutturnFormSet(forms.BaseFormSet):
    """A row per indicator, its fields named after the indicator rather than its position,
    so that an indicator added or removed while the form was open cannot shift a figure
    onto another indicator."""

    def __init__(self, *args, indicators: list[Indicator], locked: bool, **kwargs):
        self.indicators = indicators
        self.locked = locked
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.indicators)

    def initial_form_count(self):
        return len(self.indicators)

    def add_prefix(self, index):
        if isinstance(index, int):
            return f"{self.prefix}-{self.indicators[index].pk}"
        return super().add_prefix(index)

    def get_form_kwargs(self, index):
        indicator = self.indicators[index] if index is not None else self.indicators[0]
        return {"indicator": indicator, "locked": self.locked}


BulkOutturnFormSet = forms.formset_factory(BulkOutturnForm, formset=BaseBulkOutturnFormSet, extra=0)


class QueueFilters(forms.Form):
    """The validation queue's filters, read from the address so that a filtered queue can be
    bookmarked and shared. Every filter is optional; a value that is not one of its choices
    is shown as an error on its field and ignored."""

    AWAITING, LATE, RETURNED = "", "late", "returned"
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (AWAITING, "Awaiting validation"),
            (LATE, "Awaiting validation, submitted late"),
            (RETURNED, "Sent back to the officer"),
        ],
    )
    rating = forms.ChoiceField(label="Rating", required=False, choices=[("", "All ratings"), *Rag.choices])
    period = forms.ModelChoiceField(Period.objects.none(), label="Period", required=False, empty_label="All periods")
    directorate = forms.ModelChoiceField(
        Directorate.objects.all(), label="Directorate", required=False, empty_label="All directorates"
    )
    service = forms.ModelChoiceField(
        Service.objects.select_related("directorate"), label="Service", required=False, empty_label="All services"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The periods that have returns awaiting validation or sent back, latest first.
        self.fields["period"].queryset = Period.objects.filter(
            pk__in=Outturn.objects.filter(state__in=[OutturnState.SUBMITTED, OutturnState.RETURNED]).values("period_id")
        ).order_by("-end", "frequency")

    def chosen(self) -> dict:
        """The filters given with a valid value (an invalid one is left out, as if not given)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


class ValidateForm(forms.Form):
    """Validating the selected returns, with what to do with their commentary."""

    AS_ASKED, PUBLIC, INTERNAL = "asked", "public", "internal"
    commentary = forms.ChoiceField(
        label="Commentary on the public pages",
        choices=[
            (AS_ASKED, "As each officer asked: published indicators' commentary the officer asked to publish"),
            (PUBLIC, "Publish the commentary of every published indicator selected"),
            (INTERNAL, "Keep all the commentary internal"),
        ],
        initial=AS_ASKED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the commentary."},
    )

    def commentary_is_public(self) -> bool | None:
        """services.outturns_validate's commentary_is_public for the choice made."""
        return {self.AS_ASKED: None, self.PUBLIC: True, self.INTERNAL: False}[self.cleaned_data["commentary"]]


class RatingOverrideForm(forms.Form):
    rag = forms.ChoiceField(
        label="Overriding rating", required=False, choices=[("", "No override: show the computed rating"), *Rag.choices]
    )
    reason = forms.CharField(label="Why override the computed rating?", required=False, widget=forms.Textarea)


class Radios(forms.RadioSelect):
    """Radios whose field the error summary links to by the first radio's id (id_<name>), as
    the GOV.UK pattern asks; Django's RadioSelect gives no id to link to."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


class TargetsForm(forms.Form):
    """An indicator's targets for one financial year, with one rationale for them all.

    Cleaned figures are Decimals (None when empty); with spread ticked the period targets
    are worked out from the annual target. The services check the figures again on saving.
    """

    profile = forms.ChoiceField(
        label="How should the annual target be spread over the year?",
        choices=Profile.choices,
        widget=Radios,
        required=False,
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea,
        help_text="Why these levels: the trend, benchmarks, resources and the ambition. "
        "Required to propose the targets.",
    )
    change_reason = forms.CharField(
        label="Why are the signed-off targets changing?",
        required=False,
        widget=forms.Textarea,
        help_text="The portfolio holder signs off the new revision, and the history keeps the reason.",
    )
    year_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        indicator: Indicator,
        rows: list[Row],
        proposing: bool = False,
        last_year: dict[int, Decimal] | None = None,
        revising: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicator, self.rows, self.proposing = indicator, rows, proposing
        self.last_year = last_year or {}
        if not revising:
            del self.fields["change_reason"]
        for row in rows:
            self.fields[row.name] = forms.CharField(
                label=row.label,
                required=False,
                max_length=40,
                error_messages={"max_length": f"{row.what} is too long: enter a number of 40 characters or fewer."},
            )
            self.fields[f"{row.name}_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        places = indicator.decimal_places
        self.fields["annual"].help_text = (
            "A whole number."
            if not places
            else ngettext("Up to %(places)d decimal place.", "Up to %(places)d decimal places.", places)
            % {"places": places}
        )
        if len(rows) == 1:
            del self.fields["profile"]
        else:
            kind = indicator.get_frequency_display().lower()
            if not indicator.is_cumulative:
                hint = f"Sets every {kind} target to the annual target."
            elif indicator.frequency == Frequency.QUARTER:
                hint = (
                    "Sets the quarterly targets to a year-to-date profile: Q1 a quarter of the annual target, "
                    "Q2 a half, Q3 three quarters and Q4 the whole annual target."
                )
            else:
                hint = (
                    "Sets the monthly targets to a year-to-date profile: each month's target is the annual "
                    "target times the months so far, divided by 12."
                )
            self.fields["profile"].help_text = (
                f"Evenly: {hint[0].lower()}{hint[1:]} Shaped like last year's figures: each period's "
                f"target follows last year's pattern. By hand: enter each {kind} target below. "
                f"Evenly and shaped like last year replace any {kind} targets you enter below."
            )
        self.order_fields(["annual", "profile", *(row.name for row in rows[1:]), "rationale", "change_reason"])

    def clean(self):
        data = super().clean()
        data["profile"] = data.get("profile") or Profile.BY_HAND
        spreading = data["profile"] != Profile.BY_HAND and len(self.rows) > 1
        for row in self.rows:
            if row.name in self.errors or (spreading and row.name != "annual"):
                continue
            try:
                value = parse_figure(data.get(row.name, ""), self.indicator, row.what)
                if value is not None:
                    services.target_check(indicator=self.indicator, period=row.period, value=value)
            except ValidationError as error:
                self.add_error(row.name, error.messages)
                continue
            if value is None and row.target is not None:
                self.add_error(row.name, f"{row.what} has been set, so it cannot be left empty: enter a figure.")
                continue
            data[row.name] = value
        if spreading and "annual" not in self.errors:
            if data["annual"] is None:
                self.add_error("annual", "Enter the annual target to spread it across the periods.")
            elif data["profile"] == Profile.EVEN:
                for row in self.rows[1:]:
                    data[row.name] = spread(self.indicator, data["annual"], row.period)
            else:
                try:
                    for row in self.rows[1:]:
                        data[row.name] = shape(self.indicator, data["annual"], row.period, self.last_year)
                except ValueError:
                    self.add_error(
                        "profile",
                        "Last year's figures are not complete (or add up to zero), so the targets cannot be shaped "
                        "like them: choose evenly or by hand.",
                    )
        if not self.errors and all(data[row.name] is None for row in self.rows):
            self.add_error("annual", "Enter the annual target, or a target for at least one period.")
        if self.proposing and not data.get("rationale", "").strip():
            self.add_error(
                "rationale",
                "Give the rationale before you propose the targets: why these levels (trend, benchmark, resources, "
                "ambition).",
            )
        return data


class BaselineForm(forms.Form):
    first_period = forms.ModelChoiceField(
        queryset=Period.objects.none(),
        label="First period of the baseline",
        empty_label="Choose a period",
        error_messages={"required": "Choose the first period of the baseline."},
    )
    last_period = forms.ModelChoiceField(
        queryset=Period.objects.none(),
        label="Last period of the baseline",
        empty_label="Choose a period",
        error_messages={"required": "Choose the last period of the baseline."},
    )
    reason = forms.CharField(
        label="Why fix the limits on these periods?",
        help_text="For example: the service changed from this period, so earlier figures describe a different process.",
        widget=forms.Textarea,
        error_messages={"required": "Say why the limits are fixed on these periods."},
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Period.objects.filter(outturns__indicator=indicator, frequency=indicator.frequency).order_by("end")
        for name in ("first_period", "last_period"):
            self.fields[name].queryset = choices


# Indicator definitions and the tolerance policy: a tolerance is typed as a percentage of
# the target (5 for 5%) or as points in the indicator's unit, never as a fraction.


def _percent_text(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"


def _tolerance_number(text: str) -> Decimal:
    text = text.strip().removesuffix("%").strip()
    try:
        value = Decimal(text.replace(",", ""))
    except ArithmeticError:
        raise ValidationError("Enter the tolerance as a number, like 5.") from None
    if not value.is_finite():
        raise ValidationError("Enter the tolerance as a number, like 5.")
    if value < 0:
        raise ValidationError("The tolerance cannot be negative.")
    return value


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class IndicatorDefinitionForm(forms.ModelForm):
    """Every field of an indicator's definition. The tolerance override is typed as a
    percentage of the target (relative) or as points in the indicator's unit (absolute);
    the services check the collected-from and retired-after periods and the frequency."""

    tolerance_mode = forms.ChoiceField(
        label="Tolerance rule",
        required=False,
        choices=[
            ("", "Use the corporate tolerance policy"),
            (ToleranceMode.RELATIVE, "Its own tolerance, as a percentage of the target"),
            (ToleranceMode.ABSOLUTE, "Its own tolerance, in points of its unit either side of the target"),
        ],
        help_text="How far from the target a figure may be and still be Amber rather than Red.",
    )
    tolerance = forms.CharField(
        label="Tolerance override",
        required=False,
        max_length=20,
        help_text="For a percentage of the target type 5 for 5%; in points type the amount, "
        "for example 2 for 2 percentage points. Leave empty to use the corporate policy.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "description",
            "definition",
            "data_source",
            "kind",
            "national_indicator",
            "service",
            "portfolio",
            "responsible_officer",
            "unit",
            "decimal_places",
            "polarity",
            "frequency",
            "is_cumulative",
            "entry_basis",
            "allows_negative",
            "is_published",
            "baseline",
            "baseline_year",
            "tolerance_mode",
            "tolerance",
            "collected_from",
            "retired_after",
        ]
        labels = {
            "description": "Plain-English description",
            "definition": "How it is calculated",
            "kind": "Kind",
            "national_indicator": "National indicator it stands in for",
            "is_cumulative": "Cumulative: it adds up over the financial year",
            "entry_basis": "For a cumulative indicator, officers enter",
            "allows_negative": "A negative figure is possible",
            "is_published": "Published: shown to the public",
            "collected_from": "Collected from",
            "retired_after": "Retired after",
        }
        help_texts = {
            "code": 'For example "LPI 014". No two indicators share a code.',
            "collected_from": "The first period a figure is due for. Leave empty for the first period that "
            "is neither overdue nor locked.",
            "retired_after": "To retire it, the last period a figure is collected for. It is kept, with its history.",
        }
        error_messages = {"code": {"unique": "An indicator with this code already exists: choose another code."}}
        field_classes = {
            "collected_from": PeriodChoiceField,
            "retired_after": PeriodChoiceField,
            "responsible_officer": PersonChoiceField,
        }

    def __init__(self, *args, services_allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        from organisation.models import User

        periods = Period.objects.filter(frequency__in=Frequency.values).order_by("frequency", "start")
        self.fields["collected_from"].queryset = periods
        self.fields["retired_after"].queryset = periods
        self.fields["national_indicator"].queryset = Indicator.objects.filter(kind=Kind.NATIONAL).order_by("code")
        self.fields["responsible_officer"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        if services_allowed is not None:
            self.fields["service"].queryset = services_allowed
            self.fields["service"].required = True
            self.fields["service"].empty_label = None
        instance = self.instance
        if instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
            if instance.tolerance is not None and instance.tolerance_mode == ToleranceMode.RELATIVE:
                self.initial["tolerance"] = _percent_text(instance.tolerance)
            elif instance.tolerance is not None:
                self.initial["tolerance"] = f"{instance.tolerance.normalize():f}"

    def clean(self):
        data = super().clean()
        mode, text = data.get("tolerance_mode", ""), data.get("tolerance", "").strip()
        if mode and not text:
            self.add_error("tolerance", "Enter the indicator's own tolerance, or choose the corporate policy.")
        elif text and not mode:
            self.add_error("tolerance_mode", "Say whether the tolerance is a percentage of the target or points.")
        elif mode:
            try:
                value = _tolerance_number(text)
            except ValidationError as error:
                self.add_error("tolerance", error)
            else:
                if mode == ToleranceMode.RELATIVE and value > 100:
                    self.add_error("tolerance", "A tolerance cannot be more than 100% of the target.")
                else:
                    data["tolerance"] = value / 100 if mode == ToleranceMode.RELATIVE else value
        if not mode:
            data["tolerance"] = None
        if "frequency" in data and self.instance.pk:
            try:
                definitions.indicator_frequency_check(indicator=self.instance, frequency=data["frequency"])
            except ValidationError as error:
                form_errors(self, error)
        if data.get("entry_basis") and self.instance.pk:
            try:
                definitions.indicator_entry_basis_check(indicator=self.instance, entry_basis=data["entry_basis"])
            except ValidationError as error:
                form_errors(self, error)
        return data

    def _post_clean(self):
        # The model's own checks run on the typed tolerance once it is a fraction or points.
        if isinstance(self.cleaned_data.get("tolerance"), str):
            self.cleaned_data["tolerance"] = None
        super()._post_clean()

    def definition(self) -> dict:
        """The definition as typed: model fields by name, for the services."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def changes(self, indicator: Indicator) -> dict:
        """The fields whose value differs from the indicator as stored."""
        return {name: value for name, value in self.definition().items() if getattr(indicator, name) != value}

    def described(self, indicator: Indicator) -> list[tuple[str, str, str]]:
        """The changes as (label, before, after) in words, for a confirmation or a proposal."""
        rows = []
        # A new indicator: every field given, as there is nothing to change from.
        shown = (
            self.changes(indicator)
            if indicator.pk
            else {k: v for k, v in self.definition().items() if v not in (None, "", False)}
        )
        for name, value in shown.items():
            label = self.fields[name].label or name
            before = _shown(indicator, name, getattr(indicator, name)) if indicator.pk else "None"
            rows.append((label, before, _shown(indicator, name, value)))
        return rows


def _shown(indicator: Indicator, name: str, value) -> str:
    if value is None or value == "":
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    field = Indicator._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if name == "tolerance":
        return f"{value.normalize():f}"
    if hasattr(value, "label") and isinstance(value, Period):
        return value.label
    return str(value)


class IndicatorProposalForm(IndicatorDefinitionForm):
    """A service manager's proposal: the definition of a new indicator or a changed one,
    for their own services, with the reason for it."""

    reason = forms.CharField(
        label="Why does the service propose this?",
        widget=forms.Textarea,
        help_text="The performance team reads this before approving it.",
        error_messages={"required": "Say why the service proposes this."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Services propose local indicators (or local proxies of national ones); a national
        # indicator of theirs stays national.
        if self.instance.kind != Kind.NATIONAL or not self.instance.pk:
            self.fields["kind"].choices = [(k, label) for k, label in Kind.choices if k != Kind.NATIONAL]

    def proposal_data(self) -> dict:
        """What was typed, as the form reads it again when the proposal is approved."""
        skip = {"csrfmiddlewaretoken", "reason", "version", "confirm"}
        return {name: self.data.get(name, "") for name in self.data if name not in skip}


class DeclineForm(forms.Form):
    decision_note = forms.CharField(
        label="Why is the proposal declined?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the proposal is declined."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class Radios(forms.RadioSelect):
    """Radios whose error summary link goes to the first radio (the template gives it the field's id)."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else f"{id_}_{index}"


class TolerancePolicyForm(forms.Form):
    """A new corporate tolerance: a percentage of the target or points, from a named period, with why."""

    mode = forms.ChoiceField(
        label="How is the tolerance measured?",
        choices=[
            (ToleranceMode.RELATIVE, "As a percentage of the target"),
            (ToleranceMode.ABSOLUTE, "In points: an amount in each indicator's own unit either side of the target"),
        ],
        initial=ToleranceMode.RELATIVE,
        widget=Radios,
        error_messages={"required": "Say whether the tolerance is a percentage of the target or points."},
    )
    tolerance = forms.CharField(
        label="Tolerance",
        max_length=20,
        help_text="For a percentage type 5 for 5%: a figure within 5% of its target is Amber rather than Red. "
        "In points type the amount, for example 2 for 2 percentage points.",
        error_messages={"required": "Enter the tolerance, for example 5 for 5%."},
    )
    effective_from = PeriodChoiceField(
        label="From which period",
        queryset=Period.objects.none(),
        empty_label=None,
        help_text="Ratings of this period and every later one use the new tolerance; earlier ones keep theirs.",
    )
    reason = forms.CharField(
        label="Why is the council setting this tolerance?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the council is setting this tolerance."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].queryset = Period.objects.filter(
            frequency__in=[Frequency.QUARTER, Frequency.MONTH]
        ).order_by("start", "-end")
        self.order_fields(["mode", "tolerance", "effective_from", "reason"])

    def clean_tolerance(self) -> Decimal:
        return _tolerance_number(self.cleaned_data["tolerance"])

    def clean(self):
        data = super().clean()
        value, mode = data.get("tolerance"), data.get("mode")
        if value is not None and mode == ToleranceMode.RELATIVE:
            if value > 100:
                self.add_error("tolerance", "A tolerance cannot be more than 100% of the target.")
            else:
                data["tolerance"] = value / 100
        return data
