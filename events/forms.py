from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from programmes.models import RegionalWorker, Theme

from .models import Evaluation, JointEvent, Slot, Surgery
from .selectors import (
    confirmed_booking_counts, held_place_counts, slots_of_hosts_elsewhere, slots_outside, slots_overlapping,
)
from .services import ScheduleBusy, schedule_lock, slots_lock, waitlist_close, waitlist_offers_withdraw


class BookingForm(forms.Form):
    priorities = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of your priorities would you like to discuss?",
    )
    questions = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Questions for the host (optional)",
        help_text="They see these before you meet, so they can come prepared.",
    )


class EvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[(n, label) for n, label in [
            (5, "5 – excellent"), (4, "4 – good"), (3, "3 – fair"), (2, "2 – poor"), (1, "1 – very poor")
        ]],
        coerce=int,
        widget=forms.RadioSelect,
        label="Overall, how would you rate the event?",
    )

    class Meta:
        model = Evaluation
        fields = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:-1]}


class SlotGenerateForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), help_text="The day of the surgery.")
    start = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text="UK time, e.g. 10:00")
    end = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}), help_text="UK time, e.g. 13:00")
    length_minutes = forms.IntegerField(min_value=5, max_value=240, initial=20, label="Slot length (minutes)")
    break_minutes = forms.IntegerField(min_value=0, max_value=120, initial=0, label="Break between slots (minutes)")
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=1, help_text="People per slot.")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end time must be after the start time.")
        return data


# Slots typed in by hand in the admin keep the slot generator's rules: within
# the event's times, no overlap with the surgery's other slots, nor with a slot
# its hosts sit at elsewhere. A host added to a surgery must be free at all of
# the surgery's slots. An event's new hours must hold its surgeries' slots.
#
# Each check runs after _lock_schedule, inside the admin's transaction that
# then saves: two coordinators saving at once are checked one after the other.


def _lock_schedule(**kwargs):
    """services.schedule_lock, with "busy, save again" as a form error."""
    try:
        return schedule_lock(**kwargs)
    except ScheduleBusy as busy:
        raise ValidationError(busy.message) from None


def _lock_slots(slot_ids):
    """services.slots_lock (after _lock_schedule), then {slot id: slot as saved}, {slot id: confirmed bookings}."""
    try:
        saved = slots_lock(slot_ids=slot_ids)
    except ScheduleBusy as busy:
        raise ValidationError(busy.message) from None
    return saved, confirmed_booking_counts(slot_ids=saved)


def _held_places(saved):
    """{slot id: places held for the waiting list} of slots locked by _lock_slots: a capacity keeps room for them."""
    return held_place_counts(slot_ids=saved, now=timezone.now())


# A booking copies its slot's times and event (overlaps, the per-event limit,
# reminders, the .ics its person was sent): a booked slot keeps its times and
# surgery, and is not deleted with its bookings (CASCADE, nobody told).
# Harmless edits (capacity down to the booked count and the places held for
# the waiting list) stay allowed.


def _people_have(count):
    return "1 person has" if count == 1 else f"{count} people have"


def _places_held(count):
    return (
        "1 place is held for someone" if count == 1 else f"{count} places are held for people"
    ) + " on the waiting list until they book or their offer lapses"


def _booked_slot_refusal(saved, booked, *, surgery_id, starts, ends, capacity, held=0):
    """Why a booked slot cannot be saved so, as (field, message), or None. `saved` is the locked row.

    `held`: places offered to people on the waiting list and not lapsed; each was promised a place.
    """
    moved = surgery_id != saved.surgery_id or (starts, ends) != (saved.starts_at, saved.ends_at)
    if booked and moved:
        where = "at the old time" if surgery_id == saved.surgery_id else "with its old surgery"
        return None, (
            f"{_people_have(booked)} booked this slot. Moving it would leave their bookings {where}: "
            "cancel the slot's bookings first (they are told by email), or add a new slot. Nothing was saved."
        )
    if capacity is not None and capacity < booked + held:
        taken = [f"{_people_have(booked)} booked this slot"] if booked else []
        taken += [_places_held(held)] if held else []
        return "capacity", (
            f"{' and '.join(taken)}: its capacity cannot be less than {booked + held}. Nothing was saved."
        )
    return None


def _deleted_with_bookings_message(booked, what):
    return (
        f"{_people_have(booked)} booked {what}. Deleting it would delete their bookings without telling them: "
        "cancel those bookings first (each person is told by email). Nothing was saved."
    )


def _times_edited(form):
    return form.instance.pk is None or {"starts_at", "ends_at"} & set(form.changed_data)


def _added_host_clash(*, surgery_id, added_ids, times):
    """(slot of another surgery, its newly added host, the (starts, ends) it overlaps), or None.

    ``times`` are this surgery's slots as (starts, ends); ``added_ids`` the
    hosts chosen now who were not hosts before.
    """
    if not added_ids or not times:
        return None
    elsewhere = slots_of_hosts_elsewhere(
        host_ids=added_ids, exclude_surgery_ids=[surgery_id],
        starts_at=min(starts for starts, _ in times), ends_at=max(ends for _, ends in times),
    )
    for slot in elsewhere:
        for starts, ends in times:
            if slot.starts_at < ends and slot.ends_at > starts:
                host = next(host for host in slot.surgery.hosts.all() if host.pk in added_ids)
                return slot, host, (starts, ends)
    return None


def _added_host_message(slot, host, where):
    at = timezone.localtime(slot.starts_at)
    return (
        f"{host.name} already sits at “{slot.surgery.title}” at {at:%H:%M}, which overlaps {where}. "
        "Choose another host or move the slot first. Nothing was saved."
    )


class SlotInlineFormSet(BaseInlineFormSet):
    """The slots on a surgery's admin page."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # The event as saved now, not as read before the lock (its hours may just have changed).
        event = _lock_schedule(event_ids=[self.instance.event_id], host_ids=self._host_ids()).get(
            self.instance.event_id
        )
        self._check_booked_slots()
        rows = [
            form for form in self.forms
            if form.cleaned_data.get("starts_at") and form.cleaned_data.get("ends_at")
            and not form.cleaned_data.get("DELETE")
        ]
        self._check_within_event(rows, event)
        self._check_added_hosts([form for form in rows if not _times_edited(form)])
        edited = [form for form in rows if _times_edited(form)]
        if not edited:
            return
        others = list(slots_overlapping(
            surgery_id=self.instance.pk,
            host_ids=self._host_ids(),
            starts_at=min(form.cleaned_data["starts_at"] for form in edited),
            ends_at=max(form.cleaned_data["ends_at"] for form in edited),
            # This page's own rows are compared as typed, not as saved.
            exclude_ids=[form.instance.pk for form in self.forms if form.instance.pk],
        ))
        for form in edited:
            starts, ends = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
            clash = next((slot for slot in others if slot.starts_at < ends and slot.ends_at > starts), None)
            if clash is not None:
                form.add_error(None, f"This slot overlaps {clash.overlap_label(self.instance.pk)}. Nothing was saved.")
                continue
            twin = next((
                other for other in rows
                if other is not form and other.cleaned_data["starts_at"] < ends and other.cleaned_data["ends_at"] > starts
            ), None)
            if twin is not None:
                at = timezone.localtime(twin.cleaned_data["starts_at"])
                form.add_error(None, f"This slot overlaps the slot at {at:%H:%M} on this page. Nothing was saved.")

    def _check_booked_slots(self):
        """Rows that will be saved or deleted, against their slots as saved now (see _booked_slot_refusal)."""
        edited = [form for form in self.initial_forms if form.has_changed()]  # unchanged rows are not saved
        if not edited:
            return
        saved, counts = _lock_slots(form.instance.pk for form in edited)
        held = _held_places(saved)
        deleted = []
        for form in edited:
            slot = saved.get(form.instance.pk)
            if slot is None:
                continue
            # The save writes the whole row: the count as locked now, not as read before the lock.
            form.instance.booked_count = slot.booked_count
            if self._should_delete_form(form):
                if counts[slot.pk]:
                    at = timezone.localtime(slot.starts_at)
                    deleted.append(_deleted_with_bookings_message(counts[slot.pk], f"the slot at {at:%H:%M}"))
                continue
            data = form.cleaned_data
            refusal = _booked_slot_refusal(
                slot, counts[slot.pk], surgery_id=self.instance.pk,
                starts=data["starts_at"], ends=data["ends_at"], capacity=data.get("capacity"), held=held[slot.pk],
            )
            if refusal is not None:
                form.add_error(*refusal)
        if deleted:  # a row marked for deletion shows no errors of its own
            raise ValidationError(deleted)

    offers_withdrawn = 0  # people told their held place went with a deleted row (the admin says how many)

    def delete_existing(self, obj, commit=True):
        # Places held on it for the waiting list are withdrawn first (the slot is locked since clean).
        if commit:
            self.offers_withdrawn += waitlist_offers_withdraw(slot_ids=[obj.pk])
        super().delete_existing(obj, commit=commit)

    def _check_within_event(self, rows, event):
        # Only new or moved slots: a slot left outside the event's times (before
        # the event's page refused that) must not block editing the surgery.
        if event is None:  # the surgery's own form reports a missing event
            return
        for form in rows:
            if _times_edited(form):
                data = form.cleaned_data
                outside = event.slot_outside_message(data["starts_at"], data["ends_at"])
                if outside:
                    form.add_error(None, f"{outside} Nothing was saved.")

    def _check_added_hosts(self, unedited):
        """A host chosen on this page must be free at the surgery's slots (new or moved ones: see clean)."""
        if not self.instance.pk or not unedited:
            return
        saved = set(self.instance.hosts.values_list("pk", flat=True))
        added = [pk for pk in self._host_ids() if pk not in saved]
        times = {(form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]): form for form in unedited}
        clash = _added_host_clash(surgery_id=self.instance.pk, added_ids=added, times=list(times))
        if clash is not None:
            slot, host, overlapped = clash
            times[overlapped].add_error(None, _added_host_message(slot, host, "this slot"))

    def _host_ids(self):
        """The hosts chosen in the surgery's form on the same page (they may be new), else those saved."""
        try:
            return [worker.pk for worker in forms.ModelMultipleChoiceField(RegionalWorker.objects.all()).clean(
                self.data.getlist("hosts")
            )]
        except ValidationError:  # the surgery's own form reports bad hosts
            return list(self.instance.hosts.values_list("pk", flat=True)) if self.instance.pk else []


class SurgeryInlineFormSet(BaseInlineFormSet):
    """The surgeries on their event's admin page, where slots are not shown: a new host must be free at them.

    Hosts are compared as chosen on this page (a host moved from one surgery to
    another is no longer at the first), and as saved for surgeries elsewhere.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        page_ids = [form.instance.pk for form in self.forms if form.instance.pk]
        chosen = {
            form.instance.pk: {host.pk for host in form.cleaned_data["hosts"]}
            for form in self.forms
            if form.instance.pk and form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        _lock_schedule(event_ids=[self.instance.pk], host_ids=set().union(*chosen.values()))
        self._check_deleted_with_bookings()
        saved = set(
            Surgery.hosts.through.objects.filter(surgery_id__in=chosen).values_list("surgery_id", "regionalworker_id")
        )
        added = sorted(
            (surgery_id, host_id) for surgery_id, hosts in chosen.items() for host_id in hosts
            if (surgery_id, host_id) not in saved
        )
        page_slots = list(Slot.objects.filter(surgery_id__in=chosen).select_related("surgery"))
        if not added or not page_slots:  # new surgeries have no slots yet
            return
        slots = {surgery_id: [] for surgery_id in chosen}
        for slot in page_slots:
            slots[slot.surgery_id].append(slot)
        # The slots each host sits at: elsewhere as saved, on this page as chosen.
        busy = defaultdict(list)
        for slot in slots_of_hosts_elsewhere(
            host_ids={host_id for _, host_id in added}, exclude_surgery_ids=page_ids,
            starts_at=min(slot.starts_at for slot in page_slots), ends_at=max(slot.ends_at for slot in page_slots),
        ):
            for host in slot.surgery.hosts.all():
                busy[host.pk].append(slot)
        for surgery_id, hosts in chosen.items():
            for host_id in hosts:
                busy[host_id].extend(slots[surgery_id])
        forms_by_id = {form.instance.pk: form for form in self.forms if form.instance.pk}
        for surgery_id, host_id in added:
            form = forms_by_id[surgery_id]
            clash = next((
                (mine, other) for mine in slots[surgery_id] for other in busy[host_id]
                if other.surgery_id != surgery_id and other.starts_at < mine.ends_at and other.ends_at > mine.starts_at
            ), None)
            if clash is not None and "hosts" not in form.errors:
                mine, other = clash
                host = next(host for host in form.cleaned_data["hosts"] if host.pk == host_id)
                where = f"this surgery's slot at {timezone.localtime(mine.starts_at):%H:%M}"
                form.add_error("hosts", _added_host_message(other, host, where))

    offers_withdrawn = 0  # as on SlotInlineFormSet

    def delete_existing(self, obj, commit=True):
        # Places held on its slots for the waiting list are withdrawn first (the slots are locked since clean);
        # the people still waiting are told its list has closed (before: those withdrawn get their own email).
        if commit:
            waitlist_close(surgery_ids=[obj.pk])
            self.offers_withdrawn += waitlist_offers_withdraw(
                slot_ids=obj.slots.values_list("pk", flat=True), list_closes=True
            )
        super().delete_existing(obj, commit=commit)

    def _check_deleted_with_bookings(self):
        surgeries = {form.instance.pk: form.instance for form in self.initial_forms if self._should_delete_form(form)}
        if not surgeries:
            return
        saved, counts = _lock_slots(Slot.objects.filter(surgery_id__in=surgeries).values_list("pk", flat=True))
        booked = defaultdict(int)
        for slot in saved.values():
            booked[slot.surgery_id] += counts[slot.pk]
        refusals = [
            _deleted_with_bookings_message(booked[pk], f"“{surgery.title}”")
            for pk, surgery in surgeries.items() if booked[pk]
        ]
        if refusals:  # a surgery marked for deletion shows no errors of its own
            raise ValidationError(refusals)


class SlotAdminForm(forms.ModelForm):
    """One slot on the admin's own slot page."""

    class Meta:
        model = Slot
        fields = ["surgery", "starts_at", "ends_at", "capacity"]

    def clean(self):
        data = super().clean()
        surgery, starts, ends = data.get("surgery"), data.get("starts_at"), data.get("ends_at")
        if surgery and starts and ends and ends > starts:
            event = _lock_schedule(event_ids=[surgery.event_id], surgery_ids=[surgery.pk])[surgery.event_id]
            if self.instance.pk:
                saved, counts = _lock_slots([self.instance.pk])
                slot = saved.get(self.instance.pk)
                if slot is not None:
                    # The save writes the whole row: the count as locked now, not as read before the lock.
                    self.instance.booked_count = slot.booked_count
                    refusal = _booked_slot_refusal(
                        slot, counts[slot.pk], surgery_id=surgery.pk, starts=starts, ends=ends,
                        capacity=data.get("capacity"), held=_held_places(saved)[slot.pk],
                    )
                    if refusal is not None:
                        self.add_error(*refusal)
                        return data
            # New or moved slots only (see SlotInlineFormSet._check_within_event).
            if self.instance.pk is None or {"surgery", "starts_at", "ends_at"} & set(self.changed_data):
                outside = event.slot_outside_message(starts, ends)
                if outside:
                    raise ValidationError(f"{outside} Nothing was saved.")
            clash = slots_overlapping(
                surgery_id=surgery.pk, host_ids=list(surgery.hosts.values_list("pk", flat=True)),
                starts_at=starts, ends_at=ends, exclude_ids=[self.instance.pk] if self.instance.pk else [],
            ).first()
            if clash is not None:
                raise ValidationError(f"This slot overlaps {clash.overlap_label(surgery.pk)}. Nothing was saved.")
        return data


class JointEventAdminForm(forms.ModelForm):
    """An event on its admin page: new hours must still hold every slot of its surgeries."""

    SLOTS_NAMED = 10  # a whole day of slots would bury the message

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
        _lock_schedule(event_ids=[self.instance.pk])
        outside = list(slots_outside(event_id=self.instance.pk, starts_at=starts, ends_at=ends))
        if outside:
            named = "; ".join(str(slot) for slot in outside[:self.SLOTS_NAMED])
            if len(outside) > self.SLOTS_NAMED:
                named += f"; and {len(outside) - self.SLOTS_NAMED} more"
            raise ValidationError(
                f"These slots would fall outside the new hours: {named}. "
                "Move or delete them first, or choose hours that hold them. Nothing was saved."
            )
        return data
