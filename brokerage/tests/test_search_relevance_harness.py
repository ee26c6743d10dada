"""benchmarks/search_relevance.py reads results pages as a person does (not the full benchmark run)."""

import json

import pytest

from benchmarks.search_relevance import QUERIES_FILE, reached_offers, read_results, score
from tests_support import factories

CARD_PAGE = """
<a href="/offers/feed/">New offers feed</a>
<a href="/offers/?theme=maths">Maths and numeracy</a>
<ol aria-label="Offers">
  <li><article class="card"><p><a href="/programmes/maths-hubs/">Maths hubs</a></p>
    <h2><a href="/offers/maths-coaching-devon/">Maths coaching: Devon</a></h2>
    <p>With an <a href="/glossary/#ncetm">NCETM</a> lead.</p>
    <p>Also offered by <a href="/offers/maths-coaching-wales/">Maths hubs (Wales)</a>,
       <a href="/offers/maths-coaching-online/?ref=card#top">Maths hubs (online)</a></p></article></li>
  <li><article class="card"><h2><a href="/offers/reading-workshop/">Reading workshop</a></h2>
    <p>Also offered by <a href="/offers/maths-coaching-wales/">Maths hubs (Wales)</a></p></article></li>
  <li><article class="card"><h2><a href="/cy/offers/gweithdy/">Gweithdy</a></h2></article></li>
</ol>
<a class="page-link" rel="next" href="?q=maths&amp;page=2">Next</a>
"""


def test_read_results_gives_offer_links_in_page_order_each_once():
    slugs, next_url = read_results(CARD_PAGE)

    assert slugs == ["maths-coaching-devon", "maths-coaching-wales", "maths-coaching-online", "reading-workshop", "gweithdy"]
    assert next_url == "?q=maths&page=2"


def test_read_results_on_an_empty_page_gives_nothing():
    assert read_results("<p>No offers found for “zzz”</p>") == ([], None)


def test_reached_offers_follows_next_pages_until_deep_enough():
    pages = {
        "/offers/?q=maths": '<a href="/offers/a/">A</a><a href="/offers/b/">B</a><a rel="next" href="?q=maths&page=2">',
        "/offers/?q=maths&page=2": '<a href="/offers/b/">B</a><a href="/offers/c/">C</a><a rel="next" href="?page=3">',
        "/offers/?page=3": '<a href="/offers/d/">D</a><a rel="next" href="/offers/?page=4">',
        "/offers/?page=4": '<a href="/offers/e/">E</a>',
    }

    assert reached_offers(pages.__getitem__, "/offers/?q=maths", depth=3) == ["a", "b", "c"]
    assert reached_offers(pages.__getitem__, "/offers/?q=maths", depth=20) == ["a", "b", "c", "d", "e"]


def test_score_hit_capped_recall_and_reciprocal_rank():
    query = {"q": "maths", "kind": "synonym", "relevant": ["a", "b", "c"]}

    found = score(query, ["x", "a", "y", "b"])
    assert (found.hit10, round(found.recall20, 3), found.rr, found.missed) == (True, 0.667, 0.5, ["c"])
    nothing = score(query, ["x", "y"])
    assert (nothing.hit10, nothing.recall20, nothing.rr, nothing.first_relevant) == (False, 0.0, 0.0, None)
    many = score({**query, "relevant": [f"r{i}" for i in range(30)]}, [f"r{i}" for i in range(20)])
    assert many.recall20 == 1.0  # twenty found of thirty relevant is all a first page can hold


def test_queries_file_judges_each_query():
    queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))["queries"]

    assert len(queries) >= 60
    assert [q for q in queries if not (q["relevant"] and q["reason"] and (q["q"] or q.get("params")))] == []
    asked = {q["q"] for q in queries}
    issue_examples = {"NCETM", "CETT", "FSSP", "IfL", "RSC", "assessment for learning", "mathematics",
                      "headteacher", "behavior", "e-learning", "numaracy", "ILT champions", "assistive"}
    assert issue_examples - asked == set()


@pytest.mark.django_db
def test_read_results_reaches_offers_grouped_on_a_real_catalogue_card(client):
    offer = factories.OfferFactory(title="Orienteering for tutors", slug="orienteering")
    twin = factories.OfferFactory(title="Orienteering for tutors (Wales)", slug="orienteering-wales")
    twin.same_as.add(offer)

    slugs, _ = read_results(client.get("/offers/").content.decode())

    assert sorted(slugs) == ["orienteering", "orienteering-wales"]
