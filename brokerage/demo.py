"""Load the demo region. Safe to run twice: every row is found by a natural key.

The numbers are deterministic (a seeded random generator), so two runs give
the same rows and the same counts.
"""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify

from events.demo import demo_events_activity
from events.models import JointEvent, Slot, Surgery
from programmes.models import (
    Agency, Audience, GlossaryTerm, Offer, Programme, Region, RegionalWorker, SearchSynonym, Theme,
)
from providers import services as provider_services
from providers.models import Membership, PlanItem, ProviderContact, ProviderOrganisation, VerifiedDomain

from . import demo_data as data
from . import demo_data_cy as welsh
from .models import Bulletin, Enquiry, Subscriber
from .insights.demo import demo_signals
from .roles import coordinators_group_sync

DEMO_PASSWORD = "demo-brokerage-2026"
LONDON = ZoneInfo("Europe/London")

# Where each programme's face-to-face runs happen: (label, region indexes).
ENGLAND_AREAS = [("Devon and Cornwall", [0, 1]), ("Somerset and Dorset", [2, 3]), ("Bristol, Gloucestershire and Wiltshire", [4, 5, 6])]
WALES_AREAS = [("North Wales", [7]), ("South West and Mid Wales", [8]), ("South East and Central South Wales", [9, 10])]
NATIONAL_FORMATS = {"online", "resources"}

BUILDS_ON = [
    ("e-Guide community of practice", "Become an e-Guide for your team"),
    ("Maths mastery work group", "Maths subject knowledge for primary teachers"),
    ("Functional skills coaching", "Introducing functional skills"),
    ("Aspiring head teachers programme", "Middle leadership programme"),
    ("Running a teacher enquiry", "Research-informed teaching"),
    ("Practitioner research for FE teachers", "Reflective practice and your CPD record"),
    ("Leading digital change", "Planning digital CPD for your whole organisation"),
    ("Mentoring new FE teachers", "PTLLS for vocational specialists"),
    ("Level 4 subject specialist qualification in numeracy", "Numeracy for teaching assistants"),
]
SAME_AS = [
    ("ILT champions network", "e-Guide community of practice"),
    ("Assistive technology for learners with SEN", "Accessible digital resources"),
]


class DemoLoader:
    def __init__(self, today=None, stdout=None):
        self.today = today or timezone.localdate()
        self.rng = random.Random(2026)
        self.stdout = stdout
        self.User = get_user_model()
        # Hash the shared demo password once: hashing is slow on purpose.
        self.password_hash = make_password(DEMO_PASSWORD)

    def run(self):
        with transaction.atomic():
            self.vocabulary()
            self.programmes_and_agencies()
            self.workers()
            self.offers()
            self.providers()
            self.events()
            # The demo's own contacts and fairs only: people and events others added are left alone.
            demo_events_activity(
                today=self.today, contacts=self.contacts[1:], fairs=self.fairs, region=self.regions[2]
            )
            self.bulletin()
            self.demo_accounts()
            demo_signals(today=self.today, rng=self.rng)  # insights: six months of demand
        return self.counts()

    # --- vocabulary -------------------------------------------------------
    def vocabulary(self):
        self.regions = []
        for position, (name, nation) in enumerate(data.REGIONS):
            region, _ = Region.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "name_cy": welsh.REGIONS[name], "nation": nation, "position": position},
            )
            self.regions.append(region)
        self.themes = {}
        for position, (name, description) in enumerate(data.THEMES):
            name_cy, description_cy = welsh.THEMES[name]
            self.themes[name], _ = Theme.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "description": description, "position": position,
                          "name_cy": name_cy, "description_cy": description_cy},
            )
        self.audiences = {}
        for position, name in enumerate(data.AUDIENCES):
            self.audiences[name], _ = Audience.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "name_cy": welsh.AUDIENCES[name], "position": position}
            )
        for acronym, meaning, explanation in data.GLOSSARY:
            acronym_cy, meaning_cy, explanation_cy = welsh.GLOSSARY[acronym]
            GlossaryTerm.objects.update_or_create(
                acronym=acronym,
                defaults={"slug": slugify(acronym), "meaning": meaning, "explanation": explanation,
                          "acronym_cy": acronym_cy or acronym, "meaning_cy": meaning_cy,
                          "explanation_cy": explanation_cy},
            )
        for terms, note in data.SEARCH_SYNONYMS + welsh.SEARCH_SYNONYMS:
            SearchSynonym.objects.update_or_create(terms=terms, defaults={"note": note})

    def programmes_and_agencies(self):
        agencies = {}
        for name, kind, parent in data.AGENCIES:
            agencies[name], _ = Agency.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "kind": kind, "contracted_by": agencies.get(parent)},
            )
        self.programmes = {}
        for official, plain, acronym, agency, funder, nation, themes, summary in data.PROGRAMMES:
            # Programmes without a Welsh version keep blank Welsh fields: their Welsh pages fall back to English.
            plain_cy, summary_cy = welsh.PROGRAMMES.get(acronym, ("", ""))
            programme, _ = Programme.objects.update_or_create(
                slug=slugify(plain),
                defaults={
                    "official_name": official, "plain_name": plain, "acronym": acronym, "summary": summary,
                    "plain_name_cy": plain_cy, "summary_cy": summary_cy,
                    "agency": agencies[agency], "funder": agencies[funder],
                },
            )
            programme.regions.set([r for r in self.regions if r.nation == nation])
            programme.themes.set([self.themes[t] for t in themes])
            programme.nation = nation
            self.programmes[acronym] = programme

    # --- people -----------------------------------------------------------
    def user(self, username, first, last, email=None, **extra):
        user, created = self.User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email or username, **extra},
        )
        if created:
            user.password = self.password_hash
            user.save(update_fields=["password"])
        return user

    def workers(self):
        """Two or three workers per programme's nation and area, some serving two programmes."""
        self.workers_by_programme = {acronym: [] for acronym in self.programmes}
        names = [(f, l) for f, l in zip(data.FIRST_NAMES, data.LAST_NAMES)]
        acronyms = list(self.programmes)
        for index, (first, last) in enumerate(names):
            main = acronyms[index % len(acronyms)]
            programme = self.programmes[main]
            programmes = [programme]
            # Every third worker also works for a second programme of the same nation.
            if index % 3 == 0:
                same_nation = [a for a in acronyms if self.programmes[a].nation == programme.nation and a != main]
                programmes.append(self.programmes[same_nation[index % len(same_nation)]])
            areas = ENGLAND_AREAS if programme.nation == "england" else WALES_AREAS
            area_label, area_regions = areas[index % len(areas)]
            username = f"{first}.{last}".lower()
            if index == 0:
                username = "worker"  # the demo worker's sign-in
            user = self.user(username, first, last, email=f"{first}.{last}@cpd-brokerage.example".lower())
            role = "delivery" if index % 4 == 3 else "brokering"
            job_title = "Regional adviser" if role == "brokering" else "Regional trainer"
            # The Welsh consortia's workers write their entry in Welsh too; England's stay English only.
            in_wales = programme.nation == "wales"
            worker, _ = RegionalWorker.objects.update_or_create(
                user=user,
                defaults={
                    "slug": slugify(f"{first} {last}"),
                    "job_title": job_title,
                    "job_title_cy": welsh.WORKER_JOB_TITLES[job_title] if in_wales else "",
                    "role": role,
                    "remit": (
                        f"I help providers in {area_label} find and plan support from "
                        f"{' and '.join(p.plain_name.lower() for p in programmes)}. "
                        "Ask me about what suits your staff, funding and how our offers fit with others."
                    ),
                    "remit_cy": welsh.WORKER_REMIT.format(
                        area=welsh.AREAS[area_label], programmes="; ".join(p.plain_name_cy for p in programmes)
                    ) if in_wales else "",
                    "phone": f"01{self.rng.randint(200, 999)} {self.rng.randint(100000, 999999)}",
                },
            )
            worker.programmes.set(programmes)
            worker.regions.set([self.regions[i] for i in area_regions])
            worker.themes.set({t for p in programmes for t in p.themes.all()})
            for p in programmes:
                self.workers_by_programme[p.acronym].append((worker, area_regions))
        self.demo_worker = RegionalWorker.objects.get(user__username="worker")

    # --- offers -----------------------------------------------------------
    def contact_for(self, acronym, regions):
        candidates = self.workers_by_programme[acronym]
        for worker, worker_regions in candidates:
            if set(worker_regions) & set(regions):
                return worker
        return candidates[0][0]

    def offers(self):
        self.offers_by_title = {}
        run = 0
        for acronym, offers in data.OFFERS.items():
            programme = self.programmes[acronym]
            areas = ENGLAND_AREAS if programme.nation == "england" else WALES_AREAS
            for title, summary, description, themes, audiences, fmt, cost, level in offers:
                runs = [(None, [])] if fmt in NATIONAL_FORMATS else areas
                title_cy, summary_cy, description_cy = welsh.OFFERS.get(title, ("", "", ""))
                for area_label, area_regions in runs:
                    run += 1
                    full_title = f"{title}: {area_label}" if area_label else title
                    welsh_text = {
                        "title_cy": f"{title_cy}: {welsh.AREAS[area_label]}" if title_cy and area_label else title_cy,
                        "summary_cy": summary_cy, "description_cy": description_cy,
                    }
                    offer = self.offer(
                        run, programme, full_title, summary, description, themes, audiences, fmt, cost, level,
                        area_regions, welsh_text,
                    )
                    self.offers_by_title.setdefault(title, []).append(offer)
        self.link_offers()

    def offer(self, run, programme, title, summary, description, themes, audiences, fmt, cost, level, area_regions,
              welsh_text):
        rng = self.rng
        contact = self.contact_for(programme.acronym, area_regions or [0, 7])
        rolling = fmt in {"resources", "network", "in_house"} or run % 7 == 0
        starts_on = ends_on = None
        if not rolling:
            starts_on = self.today + dt.timedelta(days=rng.randint(10, 270))
            ends_on = starts_on + dt.timedelta(days=rng.choice([0, 0, 14, 42, 90]))
            if run % 23 == 0:  # a few whose dates have passed
                starts_on = self.today - dt.timedelta(days=rng.randint(60, 120))
                ends_on = starts_on + dt.timedelta(days=7)
        # Most reviewed recently; a few due for review; a few stale.
        reviewed_days_ago = rng.randint(3, 120)
        if run % 17 == 0:
            reviewed_days_ago = rng.randint(200, 260)
        elif run % 13 == 0:
            reviewed_days_ago = rng.randint(152, 175)
        status = "published"
        if run % 29 == 0:
            status = "draft"
        elif run % 41 == 0:
            status = "archived"
        price = Decimal(rng.choice([45, 75, 120, 250, 495])) if cost == "paid" else None
        open_to, condition = data.OPEN_TO.get(programme.acronym, ([], ""))
        # In Welsh only where the rest of the offer is: the South West's English-only offers show the fallback.
        condition_cy = welsh.OPEN_TO_CONDITION.get(condition, "") if welsh_text.get("title_cy") else ""
        # The consortia teach mostly in Welsh or in both languages; the South West in English.
        languages = data.WALES_DELIVERY_LANGUAGES if programme.nation == "wales" else ["en"]
        language = languages[run % len(languages)]
        published_at = timezone.now() - dt.timedelta(days=reviewed_days_ago + rng.randint(0, 60), hours=run)
        offer, _ = Offer.objects.update_or_create(
            slug=slugify(title)[:200],
            defaults={
                "programme": programme, "title": title, "summary": summary, "description": description,
                **welsh_text, "format": fmt, "cost": cost, "price": price,
                "funding_note": "Funded for eligible providers; ask the contact." if cost == "funded" else "",
                "accredited": bool(level), "accreditation": "Awarding body certificate" if level else "",
                "level": level, "starts_on": starts_on, "ends_on": ends_on, "is_rolling": rolling,
                "is_national": not area_regions, "contact": contact, "status": status,
                "open_to": open_to, "open_to_condition": condition, "open_to_condition_cy": condition_cy,
                "delivery_language": language,
                "published_at": published_at if status != "draft" else None,
                "last_reviewed_on": self.today - dt.timedelta(days=reviewed_days_ago),
                "last_reviewed_by": contact,
            },
        )
        # auto_now stamps every offer "changed today", and a bulletin drafted after loading the demo
        # would list them all: most last changed when published, one in sixteen in the last weeks.
        changed_at = published_at
        if run % 16 == 0:
            changed_at = timezone.now() - dt.timedelta(days=1 + run % 25, hours=run % 24)
        Offer.objects.filter(pk=offer.pk).update(updated_at=max(changed_at, published_at))
        offer.themes.set([self.themes[t] for t in themes])
        offer.audiences.set([self.audiences[a] for a in audiences])
        offer.regions.set([self.regions[i] for i in area_regions])
        return offer

    def link_offers(self):
        for later, earlier in BUILDS_ON:
            for index, offer in enumerate(self.offers_by_title[later]):
                before = self.offers_by_title[earlier]
                offer.builds_on.set([before[min(index, len(before) - 1)]])
        for one, other in SAME_AS:
            for index, offer in enumerate(self.offers_by_title[one]):
                others = self.offers_by_title[other]
                offer.same_as.set([others[min(index, len(others) - 1)]])

    # --- providers --------------------------------------------------------
    def providers(self):
        theme_list = list(self.themes.values())
        audience_list = list(self.audiences.values())
        self.organisations = []
        self.contacts = []  # one per organisation, in the data's order; the sign-in "provider" first
        for index, (name, kind, region_index, town) in enumerate(data.PROVIDERS):
            organisation, _ = ProviderOrganisation.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "kind": kind, "region": self.regions[region_index], "town": town},
            )
            organisation.priorities.set(self.rng.sample(theme_list, 3))
            organisation.staff_groups.set(self.rng.sample(audience_list, 2))
            first = data.FIRST_NAMES[(index + 7) % len(data.FIRST_NAMES)]
            last = data.LAST_NAMES[(index * 5 + 3) % len(data.LAST_NAMES)]
            username = "provider" if index == 0 else f"{first}.{last}.{organisation.slug}"[:150].lower()
            user = self.user(username, first, last, email=f"{first}.{last}@{organisation.slug}.example".lower())
            contact = provider_services.contact_enrol(
                user=user, organisation=organisation, job_title="Staff development manager"
            )
            self.organisations.append(organisation)
            self.contacts.append(contact)
        exeter = self.organisations[0]
        self.join_requests(exeter)
        exeter.priorities.set([self.themes["Maths and numeracy"], self.themes["English, ESOL and literacy"],
                               self.themes["Digital learning"]])
        exeter.staff_groups.set([self.audiences["FE lecturers and tutors"],
                                 self.audiences["Teaching assistants and support staff"]])
        # The demo's two plan items come back as it defines them; items the contacts added stay as they are.
        for position, title in enumerate(["Teaching GCSE maths resits in FE", "Become an e-Guide for your team"]):
            PlanItem.objects.update_or_create(
                organisation=exeter, offer=self.offers_by_title[title][0],
                defaults={"position": position, "status": "considering" if position else "booked"},
            )

    def join_requests(self, exeter):
        """Exeter College's addresses join at once; a newcomer with a personal address waits for a colleague."""
        VerifiedDomain.objects.get_or_create(domain="exeter-college.example", defaults={"organisation": exeter})
        newcomer = self.user("newcomer", "Jamie", "Rowe", email="jamie.rowe@example.net")
        # Created once: once someone has decided it, the decision is theirs and stays.
        if not Membership.objects.filter(user=newcomer).exists():
            Membership.objects.create(
                user=newcomer, organisation=exeter, job_title="Maths lecturer",
                reason="I joined the maths team in September and will run our GCSE resit CPD.",
            )

    # --- events -----------------------------------------------------------
    def local(self, day, hour, minute=0):
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)

    def events(self):
        self.fairs = []
        fairs = [
            ("South West Learning Fair: Exeter", "exeter-learning-fair", 21, "Sandy Park Conference Centre, Exeter",
             1, "england"),
            ("Wales Joint Learning Fair: Llandudno", "wales-learning-fair-llandudno", 42,
             "Venue Cymru, Llandudno", 7, "wales"),
        ]
        for title, slug, days_ahead, venue, region_index, nation in fairs:
            day = self.today + dt.timedelta(days=days_ahead)
            day += dt.timedelta(days=(1 - day.weekday()) % 7)  # fairs are on Tuesdays
            # get_or_create: a second run on a later day must not move the fair (and its slots).
            event, _ = JointEvent.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title, "kind": "learning_fair", "status": "published",
                    "summary": "Meet the regional workers of every programme at one event and book one-to-one "
                               "surgeries to plan your staff development.",
                    "description": "Drop in to the marketplace all day, or book 20-minute surgeries to talk through "
                                   "your priorities with the people who run each programme. Lunch is provided.",
                    "region": self.regions[region_index], "venue": venue,
                    "starts_at": self.local(day, 9, 30), "ends_at": self.local(day, 15, 30),
                    "booking_opens_at": timezone.now() - dt.timedelta(days=7),
                    "booking_closes_at": self.local(day - dt.timedelta(days=1), 17),
                    "max_surgeries_per_person": 3, "waitlist_hold_hours": 24, "cancellation_cutoff_hours": 24,
                },
            )
            self._welsh_event(event)
            self.fairs.append(event)
            day = timezone.localtime(event.starts_at, LONDON).date()
            acronyms = [a for a, p in self.programmes.items() if p.nation == nation][:6]
            event.programmes.set([self.programmes[a] for a in acronyms])
            for acronym in acronyms:
                programme = self.programmes[acronym]
                surgery, _ = Surgery.objects.get_or_create(
                    event=event, title=f"{programme.plain_name}: one-to-one surgery",
                    defaults={"description": f"{programme.summary} Bring your priorities and we will plan what fits.",
                              "room": f"Table {len(acronyms) - acronyms.index(acronym)}",
                              # Welsh-medium schools look for surgeries held in Welsh.
                              "language": ("cy", "bilingual")[acronyms.index(acronym) % 2] if nation == "wales" else "en"},
                )
                if programme.plain_name_cy:
                    # Surgeries of a programme with a Welsh name have a Welsh version (a rerun fills it too).
                    Surgery.objects.filter(pk=surgery.pk).update(
                        title_cy=welsh.SURGERY_TITLE.format(programme=programme.plain_name_cy),
                        description_cy=welsh.SURGERY_DESCRIPTION.format(summary=programme.summary_cy),
                    )
                surgery.hosts.set([w for w, _ in self.workers_by_programme[acronym][:2]])
                surgery.programmes.set([programme])
                surgery.themes.set(programme.themes.all())
                start = self.local(day, 10)
                while start < self.local(day, 13):
                    Slot.objects.get_or_create(
                        surgery=surgery, starts_at=start,
                        defaults={"ends_at": start + dt.timedelta(minutes=20), "capacity": 1},
                    )
                    start += dt.timedelta(minutes=20)
        past_day = self.today - dt.timedelta(days=45)
        meeting, _ = JointEvent.objects.get_or_create(
            slug="regional-workers-network-meeting",
            defaults={
                "title": "Regional workers' network meeting", "kind": "network_meeting", "status": "published",
                "summary": "Workers from every programme share their remits and offers, and spot overlaps.",
                "region": self.regions[5], "venue": "Engine Shed, Bristol",
                "starts_at": self.local(past_day, 10), "ends_at": self.local(past_day, 13),
            },
        )
        self._welsh_event(meeting)

    def _welsh_event(self, event):
        """The event's Welsh title and text (an update: a rerun must not move the event, only fill its Welsh)."""
        title, summary, description = welsh.FAIRS[event.slug]
        JointEvent.objects.filter(pk=event.pk).update(title_cy=title, summary_cy=summary, description_cy=description)

    def bulletin(self):
        end = self.today - dt.timedelta(days=7)
        title_cy, introduction_cy = welsh.BULLETIN["sent"]
        with translation.override("cy"):
            month_cy = date_format(end, "F Y")
        issue = {
            "title": f"Joint bulletin: {end:%B %Y}",
            "period_start": end - dt.timedelta(days=30), "period_end": end,
            "introduction": "Welcome to the joint bulletin: one mailing in place of many. This month: new "
                            "maths and digital offers, and booking is open for the learning fairs.",
            "title_cy": title_cy.format(month=month_cy), "introduction_cy": introduction_cy,
            "status": "sent",
        }
        bulletin, _ = Bulletin.objects.update_or_create(
            slug="joint-bulletin-" + end.strftime("%B-%Y").lower(),
            defaults=issue,
            # Sent once: a later run must not move it after its deliveries and its finish.
            create_defaults={**issue, "sent_at": timezone.now() - dt.timedelta(days=6)},
        )
        subscribers = []
        for organisation, contact in zip(self.organisations[:12], self.contacts):
            subscriber, _ = Subscriber.objects.get_or_create(
                email=contact.user.email,
                defaults={"name": contact.user.get_full_name(), "organisation": organisation.name,
                          "confirmed_at": timezone.now() - dt.timedelta(days=60)},
            )
            subscriber.themes.set(organisation.priorities.all())
            subscriber.regions.set([organisation.region])
            subscribers.append(subscriber)
        # Joint bulletin (issue 6): the sent issue's content and deliveries, and a draft to compose.
        from .bulletins.demo import bulletin_demo_draft, bulletin_demo_fill

        # Deliveries for the demo's own subscribers: one who subscribed since never received this issue.
        bulletin_demo_fill(bulletin=bulletin, subscribers=[s for s in subscribers if s.confirmed_at])
        bulletin_demo_draft(today=self.today)

    def demo_accounts(self):
        coordinator = self.user("coordinator", "Chris", "Coordinator", email="coordinator@cpd-brokerage.example",
                                is_staff=True)
        coordinator.groups.add(coordinators_group_sync())
        # Among the demo's own offers (a worker's new one may sort first), and once whatever offer it is on.
        demo_slugs = [offer.slug for offers in self.offers_by_title.values() for offer in offers]
        offer = self.demo_worker.contact_for.filter(status="published", slug__in=demo_slugs).first()
        sam = Enquiry.objects.filter(contact=self.demo_worker, email="sam.pearce@exeter-college.example")
        if offer and not sam.exists():
            Enquiry.objects.create(
                offer=offer, contact=self.demo_worker, name="Sam Pearce", email="sam.pearce@exeter-college.example",
                organisation="Exeter College",
                message="We have twelve maths resit tutors, some new to FE. Could this run on site in January?",
            )

    def counts(self):
        return {
            "regions": Region.objects.count(),
            "themes": Theme.objects.count(),
            "programmes": Programme.objects.count(),
            "regional workers": RegionalWorker.objects.count(),
            "offers (published)": Offer.objects.filter(status="published").count(),
            "offers (all)": Offer.objects.count(),
            "glossary terms": GlossaryTerm.objects.count(),
            "provider organisations": ProviderOrganisation.objects.count(),
            "provider contacts": ProviderContact.objects.count(),
            "requests to join (pending)": Membership.objects.filter(status="pending").count(),
            "events": JointEvent.objects.count(),
            "surgeries": Surgery.objects.count(),
            "slots": Slot.objects.count(),
            "subscribers": Subscriber.objects.count(),
            "bulletins": Bulletin.objects.count(),
        }
