"""Contact search through the service, on both stores: the language, phones, accents,
ranking, paging with the cursor, the index after writes, and isolation between owners."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.contacts.search.pages import Tuning
from rolodex.contacts.search.service import SearchService
from rolodex.contacts.service import ScrollPage
from rolodex.errors import InvalidInput
from rolodex.ids import new_id
from rolodex.services import Services
from tests.contacts.search_pages import recording_search, walk_search

PEOPLE: dict[str, dict[str, Any]] = {
    "john": {
        "name": {"givenName": "John", "familyName": "Smith"},
        "emails": [{"type": "work", "value": "john.smith@acme-mail.com"}],
        "phoneNumbers": [{"type": "mobile", "value": "+1 (415) 555-0100"}],
        "organizations": [{"name": "Contacts+", "title": "Engineer"}],
        "addresses": [{"city": "San Francisco", "country": "USA", "street": "1 Market St"}],
        "notes": "Met at PyCon",
    },
    "jane": {
        "name": {"givenName": "Jane", "familyName": "Smithers"},
        "emails": [{"value": "jane@example.org"}],
        "phoneNumbers": [{"type": "work", "value": "+44 20 7946 0958"}],
        "organizations": [{"name": "Acme Corp", "title": "Developer", "department": "R&D"}],
        "addresses": [{"city": "London", "country": "United Kingdom"}],
        "notes": "Prefers email",
    },
    "jose": {
        "name": {"givenName": "José", "familyName": "Núñez", "prefix": "Dr."},
        "displayName": "Dr. José Núñez",
        "emails": [{"value": "jose@example.com"}],
        "organizations": [{"name": "Contacts+", "title": "CTO"}],
        "addresses": [{"city": "São Paulo", "country": "Brazil"}],
        "notes": "Laughs at John's jokes",
    },
    "zoe": {
        "displayName": "Zoë Ørsted",
        "phoneNumbers": [{"value": "415.555.0199"}],
        "notes": "Works with Jane Smithers on the Acme account",
    },
    "anne": {
        "name": {"givenName": "Anne-Marie", "familyName": "O'Neil"},
        "organizations": [{"name": "Smith & Sons", "title": "Smith"}],
        "notes": "Long-time customer",
    },
}


class Book:
    """The PEOPLE of one fresh owner, and searches answered by name."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.owner = new_id("a_")
        self.ids = {
            label: services.contacts.create(self.owner, data).contact_id
            for label, data in PEOPLE.items()
        }
        self.labels = {cid: label for label, cid in self.ids.items()}
        vip = services.tags.create(self.owner, "VIP")
        services.tags.manage(self.owner, [self.ids["anne"]], add=[vip.tag_id], remove=[])
        self.vip = vip.tag_id

    def find(self, query: str, search: SearchService | None = None, **kwargs: Any) -> list[str]:
        page = (search or self.services.search).search(self.owner, query, size=1000, **kwargs)
        return [self.labels[c.contact_id] for c in page.contacts]


@pytest.fixture(scope="module")
def book(services: Services) -> Book:
    return Book(services)


# query, the contacts it must find, the contacts it must not find
LANGUAGE = [
    ("jo smi", {"john"}, {"jane", "jose", "zoe", "anne"}),
    ("john", {"john", "jose"}, {"jane", "zoe", "anne"}),
    ("firstName:John AND company:Contacts+", {"john"}, {"jose", "jane", "zoe", "anne"}),
    ("firstName:john company:contacts", {"john"}, {"jose"}),
    ("FIRSTNAME:jose", {"jose"}, {"john"}),
    ("jose", {"jose"}, {"john", "jane"}),
    ("NÚÑEZ", {"jose"}, {"john"}),
    ("zoe orsted", {"zoe"}, {"jane"}),
    ("firstName:zoe lastName:orsted", {"zoe"}, set()),
    ("dr jose", {"jose"}, set()),
    ("name:smith", {"john", "jane"}, {"anne", "zoe"}),
    ("lastName:smith", {"john", "jane"}, {"anne", "zoe"}),
    ('"smith"', {"john", "anne"}, {"jane"}),
    ('"john smith"', {"john"}, {"jose", "jane"}),
    ('name:"jane smithers"', {"jane"}, {"zoe"}),
    ('"jane smithers"', {"jane", "zoe"}, {"john"}),
    ("email:example.com", {"jose"}, {"jane", "john"}),
    ("email:jane@example.org", {"jane"}, {"jose"}),
    ("company:acme", {"jane"}, {"zoe", "john"}),
    ("acme", {"jane", "zoe", "john"}, {"jose", "anne"}),
    ("title:developer", {"jane"}, {"john"}),
    ("title:smith", {"anne"}, {"john"}),
    ("r&d", {"jane"}, {"john"}),
    ("city:london", {"jane"}, {"john"}),
    ("city:sao", {"jose"}, {"john"}),
    ("country:brazil", {"jose"}, {"jane"}),
    ("market", {"john"}, {"jane"}),
    ("notes:pycon", {"john"}, {"jane"}),
    ("notes:jane", {"zoe"}, {"jane"}),
    ("smith OR nunez", {"john", "jane", "anne", "jose", "zoe"}, set()),
    ("smith -jane", {"john", "anne"}, {"jane", "zoe"}),
    ("smith NOT company:smith", {"john", "jane", "zoe"}, {"anne"}),
    ("(jane OR jose) AND acme", {"jane", "zoe"}, {"jose", "john"}),
    ("NOT (smith OR jose)", set(), {"john", "jane", "jose", "zoe", "anne"}),
    ("-smith", {"jose"}, {"john", "jane", "zoe", "anne"}),
    ("anne-marie", {"anne"}, {"john"}),
    ("o'neil", {"anne"}, {"john"}),
    ("tag:vip", {"anne"}, {"john", "jane"}),
    ('tag:"VIP"', {"anne"}, {"john"}),
    ("tag:vip OR jose", {"anne", "jose"}, {"john"}),
    ("-tag:vip smith", {"john", "jane", "zoe"}, {"anne"}),
    ("tag:nosuchtag", set(), {"anne"}),
    ("Contacts+", {"john", "jose"}, {"jane"}),
    ("engineer", {"john"}, {"jose"}),
    ("+", {"john", "jane", "jose", "zoe", "anne"}, set()),
    ("", {"john", "jane", "jose", "zoe", "anne"}, set()),
    ("   ", {"john", "jane", "jose", "zoe", "anne"}, set()),
    ("nobody", set(), {"john", "jane", "jose", "zoe", "anne"}),
    ('"jo smi"', set(), {"john"}),
    ("jo*", {"john", "jose"}, {"jane"}),
]


@pytest.mark.parametrize(("query", "found", "not_found"), LANGUAGE)
def test_the_query_language_finds_what_it_says(
    book: Book, query: str, found: set[str], not_found: set[str]
) -> None:
    result = set(book.find(query))
    assert found <= result, f"{query!r} missed {found - result}"
    assert not (not_found & result), f"{query!r} wrongly found {not_found & result}"


PHONES = [
    ("4155550100", {"john"}, {"zoe"}),
    ("415.555.0100", {"john"}, {"zoe"}),
    ("+1 (415) 555-0100", {"john"}, {"zoe"}),
    ("(415) 555-0100", {"john"}, {"zoe"}),
    ("phone:+1 (415) 555-0100", {"john"}, {"zoe"}),
    ("phone:415-555-0100", {"john"}, {"zoe"}),
    ("14155550100", {"john"}, {"zoe"}),
    ("0100", {"john"}, {"zoe"}),
    ("55-0100", {"john"}, {"zoe"}),
    ("phone:0199", {"zoe"}, {"john"}),
    ("415 555", {"john", "zoe"}, {"jane"}),
    ("phone:4155550199", {"zoe"}, {"john"}),
    ("+44 20 7946 0958", {"jane"}, {"john"}),
    ("020 7946 0958", {"jane"}, {"john"}),
    ("+442079460958", {"jane"}, {"john"}),
    ("7946 0958", {"jane"}, {"john"}),
    ("phone:9999", set(), {"john", "jane", "zoe"}),
]


@pytest.mark.parametrize(("query", "found", "not_found"), PHONES)
def test_a_phone_number_is_found_whatever_its_formatting(
    book: Book, query: str, found: set[str], not_found: set[str]
) -> None:
    result = set(book.find(query))
    assert found <= result, f"{query!r} missed {found - result}"
    assert not (not_found & result), f"{query!r} wrongly found {not_found & result}"


BAD = [
    ('john "smith', "quote", 6),
    ("(john", "(", 1),
    ("john)", ")", 5),
    ("(a OR (b)", "(", 1),
    ("foo:bar", "unknown field 'foo:'", 1),
    ("john AND", "AND has nothing after it", 6),
    ("OR john", "OR has nothing before it", 1),
    ("john OR OR jane", "OR has nothing after it", 6),
    ("john NOT", "NOT has nothing after it", 6),
    ("()", "empty parentheses", 1),
    ("firstName: john", "needs a value", 10),
    ("a AND OR b", "AND has nothing after it", 3),
]


@pytest.mark.parametrize(("query", "says", "position"), BAD)
def test_a_bad_query_says_what_is_wrong_and_where(
    services: Services, query: str, says: str, position: int
) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.search.search(new_id("a_"), query)
    assert caught.value.field == "searchQuery"
    assert says in caught.value.message
    assert f"at character {position})" in caught.value.message


def test_limits_of_a_query_are_errors_not_failures(services: Services) -> None:
    owner = new_id("a_")
    for query in ("x" * 1001, "(" * 40 + "x" + ")" * 40, " ".join(["w"] * 100)):
        with pytest.raises(InvalidInput) as caught:
            services.search.search(owner, query)
        assert caught.value.field == "searchQuery"


def test_best_matches_come_first(services: Services) -> None:
    owner = new_id("a_")
    create = services.contacts.create
    notes = create(owner, {"name": {"givenName": "Ann"}, "notes": "likes tea"}).contact_id
    company = create(
        owner, {"name": {"givenName": "Bob"}, "organizations": [{"name": "Teamwork"}]}
    ).contact_id
    name_prefix = create(owner, {"name": {"givenName": "Teague"}}).contact_id
    exact = create(owner, {"name": {"givenName": "Tea", "familyName": "Cup"}}).contact_id
    create(owner, {"name": {"givenName": "Nobody"}})
    page = services.search.search(owner, "tea")
    assert [c.contact_id for c in page.contacts] == [exact, name_prefix, company, notes]
    # Field-qualified terms narrow but do not rank: creation order.
    page = services.search.search(owner, "notes:tea OR company:tea")
    assert [c.contact_id for c in page.contacts] == [notes, company]


def test_paging_a_large_result_sees_each_contact_exactly_once(services: Services) -> None:
    owner = new_id("a_")
    expected = set()
    for i in range(250):
        # Matches spread over every rank bucket, interleaved in creation order.
        shapes: list[dict[str, Any]] = [
            {"name": {"givenName": "Pat", "familyName": f"N{i}"}},
            {"name": {"givenName": "Patrick", "familyName": f"N{i}"}},
            {"name": {"givenName": f"N{i}"}, "organizations": [{"name": "Patisserie"}]},
            {"name": {"givenName": f"N{i}"}, "notes": "met pat"},
        ]
        data = shapes[i % 4]
        expected.add(services.contacts.create(owner, data).contact_id)
    for i in range(20):
        services.contacts.create(owner, {"name": {"givenName": f"Other{i}"}})
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = services.search.search(owner, "pat", size=50, cursor=cursor)
        seen += [c.contact_id for c in page.contacts]
        pages += 1
        if page.cursor is None:
            break
        assert len(page.contacts) == 50
        cursor = page.cursor
    assert len(seen) == len(set(seen)) == 250
    assert set(seen) == expected
    assert pages == 5
    # The offset API agrees, page for page, and counts them all.
    by_offset: list[str] = []
    for offset in range(0, 250, 50):
        found, total = services.search.search_offset(owner, "pat", offset=offset, limit=50)
        assert total == 250
        by_offset += [c.contact_id for c in found]
    assert by_offset == seen


def test_a_cursor_only_resumes_its_own_search(services: Services) -> None:
    owner = new_id("a_")
    for i in range(3):
        services.contacts.create(owner, {"name": {"givenName": f"Kim{i}"}})
    cursor = services.search.search(owner, "kim", size=1).cursor
    assert cursor is not None
    with pytest.raises(InvalidInput) as caught:
        services.search.search(owner, "kim0", size=1, cursor=cursor)
    assert caught.value.field == "searchCursor"
    with pytest.raises(InvalidInput):
        services.search.search(owner, "kim", cursor="garbage!")


def test_the_index_follows_updates_and_deletes(services: Services) -> None:
    owner = new_id("a_")
    contact = services.contacts.create(owner, {"name": {"givenName": "Quentin"}})

    def found(query: str) -> list[str]:
        return [c.contact_id for c in services.search.search(owner, query).contacts]

    assert found("quentin") == [contact.contact_id]
    updated = services.contacts.replace_data(
        owner,
        contact.contact_id,
        {"name": {"givenName": "Rupert"}, "phoneNumbers": [{"value": "212-555-0147"}]},
        etag=contact.etag,
    )
    assert found("quentin") == []
    assert found("rupert") == [contact.contact_id]
    assert found("phone:0147") == [contact.contact_id]
    services.contacts.delete(owner, contact.contact_id, etag=updated.etag)
    assert found("rupert") == []
    assert found("") == []


def test_tag_filters_need_every_tag(services: Services) -> None:
    owner = new_id("a_")
    a = services.tags.create(owner, "alpha").tag_id
    b = services.tags.create(owner, "beta").tag_id
    both = services.contacts.create(owner, {"name": {"givenName": "Both"}}).contact_id
    one = services.contacts.create(owner, {"name": {"givenName": "One"}}).contact_id
    services.tags.manage(owner, [both], add=[a, b], remove=[])
    services.tags.manage(owner, [one], add=[a], remove=[])

    def ids(page: ScrollPage) -> list[str]:
        return [c.contact_id for c in page.contacts]

    assert ids(services.search.search(owner, "", tag_ids=[a])) == [both, one]
    assert ids(services.search.search(owner, "", tag_ids=[a, b])) == [both]
    assert ids(services.search.search(owner, "one", tag_ids=[b])) == []
    assert ids(services.search.search(owner, "tag:beta")) == [both]
    assert ids(services.search.search(owner, "tag:alpha -tag:BETA")) == [one]


def test_two_owners_never_see_each_others_contacts(services: Services) -> None:
    first, second = new_id("a_"), new_id("a_")
    mine = services.contacts.create(first, {"name": {"givenName": "Shared", "familyName": "Name"}})
    theirs = services.contacts.create(
        second, {"name": {"givenName": "Shared", "familyName": "Name"}}
    )
    for query in ("shared", "", "-nothing", "NOT shared", "shared OR name", "tag:x OR shared"):
        got_first = {c.contact_id for c in services.search.search(first, query).contacts}
        got_second = {c.contact_id for c in services.search.search(second, query).contacts}
        assert theirs.contact_id not in got_first
        assert mine.contact_id not in got_second


def test_a_tag_term_compares_names_as_the_tags_do(services: Services) -> None:
    """`tag:` finds a tag by its name as tags compare names (case folded, normalised)."""
    owner = new_id("a_")
    long_name = "x" * 255 + "ß"  # folded past the column's length: compared by digest
    for name in ("Straße", "Ǆemal", long_name):
        tag = services.tags.create(owner, name).tag_id
        contact = services.contacts.create(owner, {"notes": name}).contact_id
        services.tags.manage(owner, [contact], add=[tag], remove=[])
        for query in (name.upper(), f" {name.lower()} "):
            page = services.search.search(owner, f'tag:"{query}"')
            assert [c.contact_id for c in page.contacts] == [contact], query


def test_an_owner_with_most_of_the_index_gets_the_same_answers(
    services: Services, book: Book
) -> None:
    """When the index does not narrow to the owner first (the owner holds most of it),
    searches find the same contacts, in the same order, and nobody else's."""
    other = Book(services)  # the same people under another owner
    queries = [q for q, _, _ in LANGUAGE] + [q for q, _, _ in PHONES]
    narrowed = {q: book.find(q) for q in queries}
    whole = SearchService(services.store, services.contacts, tuning=Tuning(narrow_to_owner=False))
    for query in queries:
        assert book.find(query, whole) == narrowed[query], query
        assert other.find(query, whole) == narrowed[query], query
        found, total = whole.search_offset(book.owner, query, offset=1, limit=2)
        assert [book.labels[c.contact_id] for c in found] == narrowed[query][1:3], query
        assert total == len(narrowed[query]), query


def test_letters_and_digits_are_separate_words(services: Services) -> None:
    owner = new_id("a_")
    numbered = services.contacts.create(
        owner, {"emails": [{"value": "jing.huang056@home.example"}]}
    ).contact_id
    services.contacts.create(owner, {"emails": [{"value": "jing.huang@home.example"}]})
    for query in ("huang056", "huang05", "056", "email:huang056", '"huang 056"'):
        assert [c.contact_id for c in services.search.search(owner, query).contacts] == [
            numbered
        ], query


def test_a_first_page_leaves_out_better_ranks_by_key_and_tests_nots_in_python(
    services: Services,
) -> None:
    """On a first page, once the better ranks were each walked to their end, a rank is
    walked by its own words alone and the better ranks' matches are left out by key; on
    SQLite the query's own NOTs (`ola -bergen`) are tested in Python on the documents of
    the rest's matches, and the index takes over after `not_scan` tested. The pages,
    and the cursors after them, are exactly those of walking each rank with its whole
    condition through the index."""
    owner = new_id("a_")
    for i in range(60):
        # Few matches in the better ranks and more in the later ones, interleaved, and
        # some contacts that do not match at all.
        shapes: list[dict[str, Any]] = [
            {"name": {"givenName": "Ola", "familyName": "Berg"}},
            {"name": {"givenName": "Olav", "familyName": f"Bergman{i}"}},
            {"name": {"givenName": f"N{i}"}, "emails": [{"value": f"ola.berg{i}@example.com"}]},
            {"name": {"givenName": f"M{i}"}, "notes": "ola from bergen"},
            {
                "name": {"givenName": f"M{i}"},
                "notes": "ola from bergen",
                "organizations": [{"title": "Sales"}],
            },
            {"name": {"givenName": "Ola"}, "notes": "no match"},
        ]
        data = shapes[i % 6 if i % 13 else 5]
        services.contacts.create(owner, data)
    queries = [
        "ola berg",
        "ola ber",
        "berg ola",
        "ol be -sales",
        "ola -bergen",
        "ola -bergen -sales",
        "ola -berg",
        "ola -(bergen OR n1)",
        "ola berg OR x",
    ]
    sizes = (1, 2, 3, 7, 15, 1000)
    search, asked = recording_search(services)
    pages = {(q, n): walk_search(services, owner, q, n, search) for q in queries for n in sizes}
    assert len(pages[("ola berg", 1000)]) > 30
    assert len(pages[("ola -bergen", 1000)]) > 10
    new_nots = sum("Not(" in repr(node) for node in asked.lookups)
    at_once, _ = recording_search(services, Tuning(not_scan=0))  # the index takes over sooner
    for (query, size), seen in pages.items():
        assert walk_search(services, owner, query, size, at_once) == seen, (query, size)
    # Each rank walked with its whole condition (the better ranks' NOT included) and
    # every NOT left to the index: the walk as it was, key for key.
    plain, asked = recording_search(services, Tuning(leave_out_better=False))
    for (query, size), seen in pages.items():
        assert walk_search(services, owner, query, size, plain) == seen, (query, size)
    assert sum("Not(" in repr(node) for node in asked.lookups) > new_nots


def test_a_few_matches_are_ranked_as_walking_every_rank_would(
    services: Services, book: Book
) -> None:
    """A query matching at most `few_matches` contacts is ranked all at once after one
    walk of the index (in Python from the documents on SQLite, by one statement on
    PostgreSQL); pages and cursors come out exactly as when each rank is walked in turn."""
    owner = new_id("a_")
    for i in range(40):
        # Matches in every rank, interleaved in creation order, and some that do not match.
        shapes: list[dict[str, Any]] = [
            {"name": {"givenName": "Pat", "familyName": f"Lee{i}"}},
            {"name": {"givenName": "Patrick", "familyName": "Lee"}},
            {"name": {"givenName": "Lee"}, "organizations": [{"name": "Patisserie"}]},
            {"name": {"givenName": f"N{i}"}, "notes": "met pat lee"},
            {"name": {"givenName": "Pat"}, "notes": "no match"},
        ]
        data = shapes[i % 5]
        services.contacts.create(owner, data)

    def walk(query: str, size: int, search: SearchService) -> list[str]:
        return walk_search(services, owner, query, size, search)

    queries = ["pat lee", "lee pat", "pat", "lee", "pa le -n3", "pat OR lee"]
    search, asked = recording_search(services)
    few = {(q, size): walk(q, size, search) for q in queries for size in (3, 7, 1000)}
    book_few = {q: book.find(q) for q, _, _ in LANGUAGE + PHONES}
    assert asked.ranked, "no query took the few-matches path"
    assert len(few[("pat lee", 1000)]) == 32
    # A full window that finds a match predicts many (here: any at all): PostgreSQL then
    # walks the ranks without looking further (`first_keys`), to the same pages.
    search, asked = recording_search(services, window=3, many_times=0)
    for (query, size), seen in few.items():
        assert walk(query, size, search) == seen, (query, size)
    if not services.store.is_sqlite:
        assert None in asked.first_keys, "every query still took the few-matches path"
    # More matches than `few_matches`: PostgreSQL still ranks the first ones found and
    # walks the remaining ranks only past them, to the same pages.
    search, asked = recording_search(services, Tuning(few_matches=4))
    for (query, size), seen in few.items():
        assert walk(query, size, search) == seen, (query, size)
    if not services.store.is_sqlite:
        assert any(n > 4 for n in asked.ranked), "no query ranked its first matches"
    never = SearchService(services.store, services.contacts, tuning=Tuning(few_matches=-1))
    for (query, size), seen in few.items():
        assert walk(query, size, never) == seen, (query, size)
    for query, seen in book_few.items():
        assert book.find(query, never) == seen, query
