"""The relevance benchmark's queries and what a person would judge relevant to each.

Each query is written as a provider would type it into the catalogue's search
box, from the demo region (brokerage/demo_data.py, its glossary and
vocabulary); its judgment is a rule read against the demo's offers, as a
person would mean the words, never what the search happens to return today.
A rule is a list of clauses (an offer is relevant when it meets any clause),
each clause a dict of conditions it must all meet:

  programme  the programme's acronym is one of these
  theme      the offer carries one of these priorities (theme names)
  audience   the offer is for one of these staff groups
  title      the offer's title (without its area) is one of these
  text       this regular expression (case-insensitive) is in its title or summary
  text_all   ... in its title, summary or description
  text_cy    ... in its Welsh title or summary (brokerage/demo_data_cy.py)
  text_cy_all ... in its Welsh title, summary or description
  format     its format is one of these
  region     the run is in one of these regions (slugs), or national (open to everyone)

Every regional run of a relevant offer is relevant. Only offers the catalogue
lists by default count: published, dates not passed.

    .venv/bin/python -m benchmarks.relevance_judgments   # rewrites benchmarks/relevance_queries.json

The JSON file is what the benchmark reads: each query with its kind, its
one-line reason, its rule and the judged offer slugs (reviewable, and fixed
until the demo data changes).
"""

import json
import re

from benchmarks.search_relevance import QUERIES_FILE, configure_django, demo_database

MATHS = [{"theme": ["Maths and numeracy"]}, {"text": r"\bmaths?\b|mathemat|numeracy"}]
SEN = [{"theme": ["SEN and disabilities"]}, {"text": r"\bSEN\b|\bALN\b|special educational|disabilit|autis"}]
TA = [{"audience": ["Teaching assistants and support staff"]}, {"text": r"\bTA\b|\bHLTA\b|teaching assistant"}]
DIGITAL = [{"theme": ["Digital learning"]}]
BEHAVIOUR = [{"theme": ["Behaviour and engagement"]}, {"text": r"behaviour"}]
ESOL = [{"theme": ["English, ESOL and literacy"]}, {"text": r"\bESOL\b"}]
AFL = [{"theme": ["Assessment for learning"]}]
WELLBEING = [{"theme": ["Workload and wellbeing"]}, {"text": r"wellbeing"}]
LEADERSHIP = [{"theme": ["Leadership"]}]
ADULT = [{"text": r"adult"}, {"text_all": r"\bACL\b|adult and community"}]
NEW_TEACHERS = [{"text_all": r"\bNQT\b|new(ly qualified)? (FE )?teachers"}]
HEADTEACHER = [{"text_all": r"head ?teachers?|headship|\bNPQH\b"}]
QUALIFIED_FE = [{"title": ["Gaining QTLS professional status", "PTLLS for vocational specialists"]}]


def q(text, kind, reason, rule, params=None, lang=None):
    return {"q": text, "kind": kind, "reason": reason, "rule": rule, **({"params": params} if params else {}),
            **({"lang": lang} if lang else {})}


def cy(text, reason, rule):
    """A query typed on the Welsh catalogue (/cy/offers/), where Welsh and English text both count."""
    return q(text, "welsh", reason, rule, lang="cy")


QUERIES = [
    # --- programme acronyms and names (issue: acronyms find nothing) ---
    q("NCETM", "programme", "the maths centre's acronym: its programme's offers", [{"programme": ["NCETM"]}]),
    q("CETT", "programme", "the teacher-training centre's acronym: its offers", [{"programme": ["CETT"]}]),
    q("FSSP", "programme", "the functional skills programme's acronym: its offers", [{"programme": ["FSSP"]}]),
    q("IfL", "programme", "the professional body's acronym: its adviser service's offers", [{"programme": ["IfL"]}]),
    q("RSC", "programme", "the regional support centre's acronym: its learning technology offers",
      [{"programme": ["RSC"]}]),
    q("SfL", "programme", "Skills for Life: the two Skills for Life programmes' offers",
      [{"programme": ["SfLIP", "SfL Unit"]}, {"text": r"skills for life|\bSfL\b"}]),
    q("e-Guides", "programme", "the e-Guides programme's offers", [{"programme": ["e-Guides"]}]),
    q("Move On", "programme", "the Move On project's offers", [{"programme": ["Move On"]}]),
    q("functional skills", "programme", "the functional skills programme (its plain name) and offers naming it",
      [{"programme": ["FSSP"]}, {"text": r"functional"}]),
    q("teacher training", "programme", "the teacher-training centre's plain name: its offers", [{"programme": ["CETT"]}]),
    q("Skills for Life", "programme", "the strategy's name: the two Skills for Life programmes' offers",
      [{"programme": ["SfLIP", "SfL Unit"]}, {"text": r"skills for life|\bSfL\b"}]),
    q("Curriculum for Wales", "programme", "the curriculum joint project and offers about the new curriculum",
      [{"programme": ["CfW"]}, {"text": r"curriculum for wales"}]),
    q("school improvement", "programme", "the school improvement project and offers about improving schools",
      [{"programme": ["SIP"]}, {"text_all": r"school improvement"}]),
    q("learning technology advice", "programme", "the RSC's plain name: its advice offers", [{"programme": ["RSC"]}]),
    # --- glossary acronyms, both ways ---
    q("ESOL", "glossary", "the ESOL priority's offers and offers about ESOL learners", ESOL),
    q("English for speakers of other languages", "glossary", "ESOL spelled out: the same offers as ESOL", ESOL),
    q("SENCO", "glossary", "a SEN coordinator looks for the SEN offers", SEN),
    q("HLTA", "glossary", "higher level TAs: offers for teaching assistants", [TA[1]]),
    q("higher level teaching assistant", "glossary", "HLTA spelled out: offers for teaching assistants", [TA[1]]),
    q("VLE", "glossary", "the offer about using the VLE", [{"title": ["Using your VLE well"]}]),
    q("virtual learning environment", "glossary", "VLE spelled out", [{"title": ["Using your VLE well"]}]),
    q("ILP", "glossary", "the offer about ILP targets", [{"title": ["Writing ILP targets that help"]}]),
    q("individual learning plan", "glossary", "ILP spelled out", [{"title": ["Writing ILP targets that help"]}]),
    q("QTLS", "glossary", "the offer about gaining QTLS", [{"title": ["Gaining QTLS professional status"]}]),
    q("PTLLS", "glossary", "the PTLLS award", [{"title": ["PTLLS for vocational specialists"]}]),
    q("NQT", "glossary", "offers for new teachers (NQT induction, new FE teachers, NQT-friendly courses)",
      NEW_TEACHERS),
    q("newly qualified teachers", "glossary", "NQT spelled out: offers for new teachers", NEW_TEACHERS),
    q("WBL", "glossary", "offers for work-based learning providers",
      [{"text_all": r"\bWBL\b|work-based|apprentice"}]),
    q("work based learning", "glossary", "WBL spelled out, without its hyphen",
      [{"text_all": r"\bWBL\b|work-based|apprentice"}]),
    q("ACL", "glossary", "adult and community learning: offers about adult learners and ACL providers", ADULT),
    q("adult and community learning", "glossary", "ACL spelled out", ADULT),
    q("adult learners", "glossary", "ACL by the people it serves", ADULT),
    q("ITE", "glossary", "initial teacher education: the ITE network and the teacher-training offers",
      [{"programme": ["CETT"], "text_all": r"\bITE\b|train|teaching award"}]),
    q("NPQH", "glossary", "the headship qualification: the aspiring head teachers programme", HEADTEACHER),
    q("AfL", "glossary", "assessment for learning: the priority's offers", AFL),
    q("ALN", "glossary", "the Welsh term for SEN: the SEN and ALN offers", SEN),
    q("Estyn", "glossary", "the Welsh inspectorate: the self-evaluation offer that prepares for it",
      [{"text_all": r"estyn|self-evaluation"}]),
    q("GCSE", "glossary", "the GCSE resits offer", [{"text": r"GCSE"}]),
    q("ILT", "glossary", "information and learning technology: the digital learning offers", DIGITAL),
    # --- acronyms inside longer queries ---
    q("NCETM primary", "acronym in words", "the maths centre's primary offer",
      [{"programme": ["NCETM"], "text_all": r"primary"}]),
    q("ESOL workshop", "acronym in words", "the ESOL workshop",
      [{"text": r"\bESOL\b", "format": ["workshop"]}]),
    q("SEN assistive technology", "acronym in words", "technology for learners with SEN",
      [{"title": ["Assistive technology for learners with SEN", "Accessible digital resources"]}]),
    q("VLE training for FE lecturers", "acronym in words", "the VLE workshop (it is for FE lecturers)",
      [{"title": ["Using your VLE well"]}]),
    q("TA numeracy", "acronym in words", "numeracy for teaching assistants",
      [{"title": ["Numeracy for teaching assistants"]}]),
    q("GCSE maths resits", "acronym in words", "the resits offer", [{"title": ["Teaching GCSE maths resits in FE"]}]),
    # --- priorities (themes), staff groups (audiences), regions: every facet value is a word ---
    q("assessment for learning", "facet", "the priority's own name: the offers carrying it", AFL),
    q("digital learning", "facet", "the priority's own name", DIGITAL),
    q("behaviour and engagement", "facet", "the priority's own name", BEHAVIOUR),
    q("workload and wellbeing", "facet", "the priority's own name", WELLBEING),
    q("leadership", "facet", "the priority's own name", LEADERSHIP),
    q("research and evidence", "facet", "the priority's own name", [{"theme": ["Research and evidence"]}]),
    q("curriculum reform", "facet", "the priority's own name", [{"theme": ["Curriculum reform"]}]),
    q("post-16", "facet", "the post-16 priority and offers naming post-16",
      [{"theme": ["Post-16 and adult learning"]}, {"text": r"post-16"}]),
    q("support staff development", "facet", "the priority's name without its hyphen",
      [{"theme": ["Support-staff development"]}]),
    q("governors", "facet", "the staff group's own name, and offers about governors",
      [{"audience": ["Governors"]}, {"text": r"governor"}]),
    q("early years", "facet", "the staff group's name, and offers about early years",
      [{"audience": ["Early-years staff"]}, {"text": r"early.years"}]),
    q("CPD leads", "facet", "the staff group's own name", [{"audience": ["CPD leads"]}]),
    q("Devon", "facet", "a region's name: offers running in Devon or open to all",
      [{"region": ["devon"]}]),
    q("North Wales", "facet", "a region's name: offers running in North Wales or open to all",
      [{"region": ["north-wales"]}]),
    q("maths Cornwall", "facet", "maths offers running in Cornwall or open to all",
      [{**clause, "region": ["cornwall-and-the-isles-of-scilly"]} for clause in MATHS]),
    # --- synonyms ---
    q("maths", "synonym", "the maths priority and offers about maths or numeracy", MATHS),
    q("mathematics", "synonym", "the offers say maths", MATHS),
    q("numeracy", "synonym", "numeracy is maths for adults and TAs: the maths offers", MATHS),
    q("SEN", "synonym", "the SEN priority and offers about SEN, ALN, disabilities", SEN),
    q("SEND", "synonym", "SEN and disabilities, as England says it", SEN),
    q("special needs", "synonym", "SEN in plain words", SEN),
    q("TA", "synonym", "offers for teaching assistants", TA),
    q("teaching assistants", "synonym", "TA spelled out", TA),
    q("autism", "synonym", "the autism offer", [{"text": r"autis"}]),
    # --- British and American spellings, compounds ---
    q("behavior", "spelling", "American spelling of behaviour", BEHAVIOUR),
    q("behaviour", "spelling", "the British spelling, for comparison", BEHAVIOUR),
    q("headteacher", "spelling", "the offers say head teacher", HEADTEACHER),
    q("teacher-training", "spelling", "the teacher-training centre's offers, hyphenated", [{"programme": ["CETT"]}]),
    q("head teachers", "spelling", "as the offers write it", HEADTEACHER),
    q("e-learning", "spelling", "learning technology: the digital learning offers", DIGITAL),
    q("elearning", "spelling", "e-learning without its hyphen", DIGITAL),
    q("online learning", "spelling", "the digital learning offers and those taken online",
      DIGITAL + [{"format": ["online"]}]),
    q("middle leadership program", "spelling", "American spelling of programme",
      [{"title": ["Middle leadership programme"]}]),
    q("whole organization digital", "spelling", "American spelling of organisation",
      [{"title": ["Planning digital CPD for your whole organisation"]}]),
    q("self assessment", "spelling", "self-assessment without its hyphen",
      [{"title": ["Peer and self-assessment in practice"]}]),
    q("sixth form", "spelling", "sixth-form without its hyphen, and A level teaching",
      [{"text": r"sixth.form|A level"}]),
    q("eportfolio", "spelling", "e-portfolio as one word",
      [{"text_all": r"e-portfolio"}]),
    q("well-being", "spelling", "wellbeing with a hyphen", WELLBEING),
    # --- typos ---
    q("numaracy", "typo", "numeracy misspelt", MATHS),
    q("assesment", "typo", "assessment misspelt: the assessment offers", AFL + [{"text": r"assess"}]),
    q("leadershp", "typo", "leadership misspelt", LEADERSHIP),
    q("behaviuor", "typo", "behaviour misspelt", BEHAVIOUR),
    q("mentorng", "typo", "mentoring misspelt: the mentoring offer", [{"text": r"mentor"}]),
    q("coachng", "typo", "coaching misspelt: the coaching offers", [{"text": r"coach"}, {"format": ["coaching"]}]),
    q("autsim", "typo", "autism misspelt", [{"text": r"autis"}]),
    q("wellbeeing", "typo", "wellbeing misspelt", WELLBEING),
    # --- questions in the person's own words ---
    q("how can I get my TAs better at maths", "question", "numeracy training for teaching assistants",
      [{"title": ["Numeracy for teaching assistants"]}]),
    q("help with marking workload", "question", "the marking policy toolkit and feedback without more marking",
      [{"title": ["Marking policy review toolkit", "Feedback that moves learning on"]}]),
    q("support for new teachers in FE", "question", "mentoring and first qualifications for new FE teachers",
      [{"title": ["Mentoring new FE teachers", "PTLLS for vocational specialists"]}]),
    q("free training on using technology in the classroom", "question", "free digital learning offers",
      [{"theme": ["Digital learning"], "cost": ["free"]}]),
    q("funding for adult literacy", "question", "the funding briefing", [{"text": r"funding"}]),
    q("how to teach maths to adults", "question", "maths offers about adult learners or post-16",
      [{"theme": ["Maths and numeracy"], "text_all": r"adult"}]),
    q("getting parents involved", "question", "offers about working with parents and families",
      [{"text": r"parent|famil"}]),
    q("mental health of students", "question", "the learner wellbeing offer", [{"text_all": r"mental health"}]),
    q("student wellbeing", "question", "the learner wellbeing offer", [{"title": ["Post-16 learner wellbeing"]}]),
    q("recruiting teachers in rural areas", "question", "the rural recruitment offer",
      [{"title": ["Recruiting in rural schools"]}]),
    q("research in my own classroom", "question", "classroom enquiry and practitioner research",
      [{"title": ["Running a teacher enquiry", "Practitioner research for FE teachers", "Research-informed teaching"]}]),
    q("becoming a qualified teacher in FE", "question", "QTLS and the PTLLS award", QUALIFIED_FE),
    q("apprentices phones and tablets", "question", "mobile learning with apprentices",
      [{"title": ["Mobile learning in work-based learning"]}]),
    # --- the issue's other failing examples (grouping hides real offers) ---
    q("ILT champions", "issue", "a published offer grouped under another card", [{"title": ["ILT champions network"]}]),
    q("assistive", "issue", "a published offer grouped under another card",
      [{"title": ["Assistive technology for learners with SEN"]}]),
    q("", "issue", "filters only: the SEN workshop that runs in Devon",
      [{"theme": ["SEN and disabilities"], "format": ["workshop"], "region": ["devon"]}],
      params={"theme": "sen-and-disabilities", "format": "workshop", "region": "devon"}),
    # --- Welsh, on /cy/offers/ (issue 17): Welsh words, Welsh acronyms, mutations and typos ---
    cy("mathemateg", "maths in Welsh: the maths offers, in either language", MATHS + [{"text_cy": r"mathemateg"}]),
    cy("rhifedd", "numeracy in Welsh: the maths offers", MATHS + [{"text_cy": r"rhifedd"}]),
    cy("ADY", "ALN's Welsh acronym: the SEN and ALN offers", SEN + [{"text_cy": r"\bADY\b"}]),
    cy("anghenion dysgu ychwanegol", "ADY spelled out: the SEN and ALN offers", SEN + [{"text_cy": r"\bADY\b"}]),
    cy("cyfrwng Cymraeg", "Welsh-medium: the offer for Welsh-medium schools",
       [{"text_cy": r"cyfrwng Cymraeg"}, {"text": r"Welsh-language"}]),
    cy("llythrennedd", "literacy in Welsh: the English, ESOL and literacy offers", ESOL + [{"text": r"literacy"}]),
    cy("llythrenedd", "llythrennedd with one n too few", ESOL + [{"text": r"literacy"}]),
    cy("TGAU mathemateg", "GCSE maths in Welsh: the resits offer", [{"title": ["Teaching GCSE maths resits in FE"]}]),
    cy("llesiant", "wellbeing in Welsh", WELLBEING),
    cy("arweinyddiaeth", "leadership in Welsh: the priority's offers", LEADERSHIP),
    cy("ysgolion gwledig", "rural schools", [{"title": ["Recruiting in rural schools"]}]),
    cy("awtistiaeth", "autism in Welsh", [{"text": r"autis"}]),
    cy("Cwricwlwm i Gymru", "the Curriculum for Wales project and offers about it",
       [{"programme": ["CfW"]}, {"text": r"curriculum for wales"}]),
    cy("cynorthwywyr addysgu", "teaching assistants in Welsh", TA),
]


def base_offers():
    """The demo's offers as its data files define them: one dict per offer (before its regional runs)."""
    from brokerage import demo_data as data
    from brokerage import demo_data_cy as welsh

    offers = []
    for acronym, rows in data.OFFERS.items():
        for title, summary, description, themes, audiences, fmt, cost, level in rows:
            title_cy, summary_cy, description_cy = welsh.OFFERS.get(title, ("", "", ""))
            offers.append({"programme": acronym, "title": title, "summary": summary, "description": description,
                           "themes": themes, "audiences": audiences, "format": fmt, "cost": cost,
                           "title_cy": title_cy, "summary_cy": summary_cy, "description_cy": description_cy})
    return offers


def meets(offer, run, clause):
    text = f"{offer['title']} {offer['summary']}"
    text_cy = f"{offer['title_cy']} {offer['summary_cy']}"
    checks = {
        "programme": lambda v: offer["programme"] in v,
        "theme": lambda v: bool(set(offer["themes"]) & set(v)),
        "audience": lambda v: bool(set(offer["audiences"]) & set(v)),
        "title": lambda v: offer["title"] in v,
        "text": lambda v: re.search(v, text, re.IGNORECASE) is not None,
        "text_all": lambda v: re.search(v, f"{text} {offer['description']}", re.IGNORECASE) is not None,
        "text_cy": lambda v: re.search(v, text_cy, re.IGNORECASE) is not None,
        "text_cy_all": lambda v: re.search(v, f"{text_cy} {offer['description_cy']}", re.IGNORECASE) is not None,
        "format": lambda v: offer["format"] in v,
        "cost": lambda v: offer["cost"] in v,
        "region": lambda v: run["national"] or bool(set(run["regions"]) & set(v)),
    }
    unknown = set(clause) - set(checks)
    if unknown:
        raise ValueError(f"unknown conditions {unknown}")
    return all(checks[name](value) for name, value in clause.items())


def demo_runs():
    """{(programme acronym, base title): [run, ...]} of the loaded demo's listed offers (published, not past)."""
    from brokerage.demo import ENGLAND_AREAS, WALES_AREAS
    from programmes.models import Offer
    from programmes.selectors import offer_is_past

    areas = [label for label, _ in ENGLAND_AREAS + WALES_AREAS]
    runs = {}
    for offer in Offer.objects.filter(status="published").select_related("programme").prefetch_related("regions"):
        title = offer.title
        for label in areas:
            if title.endswith(f": {label}"):
                title = title[: -len(label) - 2]
        if offer_is_past(offer):
            continue
        runs.setdefault((offer.programme.acronym, title), []).append(
            {"slug": offer.slug, "national": offer.is_national, "regions": [r.slug for r in offer.regions.all()]}
        )
    return runs


def judge(queries, offers, runs):
    judged = []
    for query in queries:
        relevant = []
        for offer in offers:
            for run in runs.get((offer["programme"], offer["title"]), []):
                if any(meets(offer, run, clause) for clause in query["rule"]):
                    relevant.append(run["slug"])
        if not relevant:
            raise ValueError(f"no listed offer is relevant to {query['q']!r}: check its rule")
        judged.append({**query, "relevant": sorted(relevant)})
    return judged


def main():
    configure_django(None)
    with demo_database():
        judged = judge(QUERIES, base_offers(), demo_runs())
    QUERIES_FILE.write_text(json.dumps({
        "about": "Queries for benchmarks/search_relevance.py; written by benchmarks/relevance_judgments.py "
                 "from the demo data (edit the rules there, then run it).",
        "queries": judged,
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(judged)} queries, {sum(len(j['relevant']) for j in judged)} judgments written to {QUERIES_FILE}")


if __name__ == "__main__":
    main()
