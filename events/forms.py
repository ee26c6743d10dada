from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from programmes.models import RegionalWorker, Theme

from .errors import ScheduleBusy, ScheduleRefused
from .models import Evaluation, JointEvent, Slot, Surgery
from .schedule_save import event_surgeries_write, surgery_slots_write
from .scheduling import SlotRow, SurgeryRow, event_hours_check, event_surgeries_check, slot_check, surgery_slots_check


class BookingForm(forms.Form):
    priorities = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Which of your priorities would you like to discuss?"),
    )
    questions = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Questions for the host (optional)"),
        help_text=_("They see these before you meet, so they can come prepared."),
    )


class EvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[
            (5, _("5 – excellent")), (4, _("4 – good")), (3, _("3 – fair")), (2, _("2 – poor")), (1, _("1 – very poor")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Overall, how would you rate the event?"),
    )

    class Meta:
        model = Evaluation
        fields = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:-1]}


class SlotGenerateForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), help_text=_("The day of the surgery."))
    start = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text=_("UK time, e.g. 10:00"))
    end = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text=_("UK time, e.g. 13:00"))
    length_minutes = forms.IntegerField(min_value=5, max_value=240, initial=20, label=_("Slot length (minutes)"))
    break_minutes = forms.IntegerField(min_value=0, max_value=120, initial=0, label=_("Break between slots (minutes)"))
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=1, help_text=_("People per slot."))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end time must be after the start time."))
        return data


# The admin's scheduling forms: each checks the change with events.scheduling while the page validates
# (its refusals become form errors) and writes it with events.schedule_save (or scheduling.slot_write)
# when the admin saves, in the same transaction: the check's locks are held until it commits.


def _checked(check, **kwargs):
    """Run a scheduling check; "busy, save again" and refusals become ValidationErrors (for the whole page)."""
    try:
        return check(**kwargs)
    except ScheduleBusy as busy:
        raise ValidationError(busy.message) from None


def _show(refusal, forms_by_key, whole):
    """Put each (row, field, message) of a ScheduleRefused on its form; return the messages for the whole page."""
    for key, field, message in refusal.refusals:
        if key is None:
            whole.append(message)
        else:
            forms_by_key[key].add_error(field, message)
    return whole


def _rows_checked(formset, check, **kwargs):
    """Run a formset's check (rows keyed by form index); each refusal goes on its form or the whole page."""
    try:
        return _checked(check, **kwargs)
    except ScheduleRefused as refusal:
        whole = _show(refusal, dict(enumerate(formset.forms)), [])
        if whole:  # a row marked for deletion shows no errors of its own
            raise ValidationError(whole) from None
        return None


def _times_edited(form):
    return form.instance.pk is None or bool({"starts_at", "ends_at"} & set(form.changed_data))


class SlotInlineFormSet(BaseInlineFormSet):
    """The slots on a surgery's admin page: checked as they validate (events.scheduling.surgery_slots_check),
    written when the admin saves (events.schedule_save.surgery_slots_write)."""

    offers_withdrawn = 0  # people told their held place went with a deleted row (the admin says how many)
    places_offered = 0  # people offered a place on a new or larger slot (as above)
    locked = None  # {slot id: slot as locked by the check in clean}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        self.locked = _rows_checked(
            self, surgery_slots_check, surgery_id=self.instance.pk, event_id=self.instance.event_id,
            host_ids=self._host_ids(), rows=self._rows(),
        )

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        # Checked in clean, in this transaction (the admin's), whose locks are held until it commits.
        saved = surgery_slots_write(
            surgery=self.instance, locked=self.locked or {},
            rows=[row for row in self._rows() if row.slot_id or self.forms[row.key].has_changed()],
        )
        self.offers_withdrawn, self.places_offered = saved.withdrawn, saved.offered
        _record(self, saved)
        return [*self.new_objects, *(slot for slot, _ in self.changed_objects)]

    def _rows(self):
        rows = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            rows.append(SlotRow(
                key=index, slot_id=form.instance.pk, starts_at=data.get("starts_at"), ends_at=data.get("ends_at"),
                capacity=data.get("capacity"), changed=form.instance.pk is not None and form.has_changed(),
                delete=bool(data.get("DELETE")) and self.can_delete, times_edited=_times_edited(form),
            ))
        return rows

    def _host_ids(self):
        """The hosts chosen in the surgery's form on the same page (they may be new), else those saved."""
        try:
            return [worker.pk for worker in forms.ModelMultipleChoiceField(RegionalWorker.objects.all()).clean(
                self.data.getlist("hosts")
            )]
        except ValidationError:  # the surgery's own form reports bad hosts
            return list(self.instance.hosts.values_list("pk", flat=True)) if self.instance.pk else []


def _record(formset, saved):
    """What a ModelFormSet's save records for the admin's history: new, changed and deleted objects."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for key, obj in saved.added.items():
        formset.forms[key].instance = obj
        formset.new_objects.append(obj)
    for key, obj in saved.changed.items():
        formset.forms[key].instance = obj
        formset.changed_objects.append((obj, formset.forms[key].changed_data))
    formset.deleted_objects = [formset.forms[key].instance for key in saved.deleted]


class SurgeryInlineFormSet(BaseInlineFormSet):
    """The surgeries on their event's admin page: checked as they validate
    (events.scheduling.event_surgeries_check), written when the admin saves (events.schedule_save)."""

    offers_withdrawn = 0  # as on SlotInlineFormSet

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        _rows_checked(self, event_surgeries_check, event_id=self.instance.pk, rows=self._rows())

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        rows = self._rows()
        # The fields of new and changed surgeries, as their forms cleaned them (the event is this page's).
        names = {field.name for field in Surgery._meta.get_fields()} - {self.fk.name, Surgery._meta.pk.name}
        values = {
            row.key: {name: value for name, value in form.cleaned_data.items() if name in names}
            for row, form in zip(rows, self.forms) if form.has_changed() and not self._should_delete_form(form)
        }
        saved = event_surgeries_write(event=self.instance, rows=rows, values=values)  # checked in clean
        self.offers_withdrawn = saved.withdrawn
        _record(self, saved)
        return [*self.new_objects, *(surgery for surgery, _ in self.changed_objects)]

    def _rows(self):
        rows = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            hosts = data.get("hosts") if data and not data.get("DELETE") else None
            rows.append(SurgeryRow(
                key=index, surgery_id=form.instance.pk, title=form.instance.title,
                host_ids=None if hosts is None else {host.pk for host in hosts},
                delete=form in self.initial_forms and self._should_delete_form(form),
            ))
        return rows


class SlotAdminForm(forms.ModelForm):
    """One slot on the admin's own slot page: checked as it validates (events.scheduling.slot_check), written
    by the admin's save_model (events.scheduling.slot_write)."""

    locked = None

    class Meta:
        model = Slot
        fields = ["surgery", "starts_at", "ends_at", "capacity"]

    def clean(self):
        data = super().clean()
        surgery, starts, ends = data.get("surgery"), data.get("starts_at"), data.get("ends_at")
        if surgery and starts and ends and ends > starts:
            moved = self.instance.pk is None or bool({"surgery", "starts_at", "ends_at"} & set(self.changed_data))
            try:
                slot = _checked(
                    slot_check, slot_id=self.instance.pk, surgery=surgery, starts_at=starts, ends_at=ends,
                    capacity=data.get("capacity"), moved=moved,
                )
            except ScheduleRefused as refusal:
                for _, field, message in refusal.refusals:
                    self.add_error(field, message)
                return data
            self.locked = slot  # the row as locked now (None for a new slot), which the admin writes
        return data


class JointEventAdminForm(forms.ModelForm):
    """An event on its admin page: new hours must still hold every slot (events.scheduling.event_hours_check)."""

    class Meta:
        model = JointEvent
        fields = "__all__"

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if not (self.instance.pk and starts and ends and ends > starts):
            return data
        if not {"starts_at", "ends_at"} & set(self.changed_data):
            return data  # a slot already outside (from before this rule) does not block other edits
        try:
            _checked(event_hours_check, event_id=self.instance.pk, starts_at=starts, ends_at=ends)
        except ScheduleRefused as refusal:
            raise ValidationError([message for _, _, message in refusal.refusals]) from None
        return data
