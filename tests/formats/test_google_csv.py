"""Google Contacts CSV: the sample exports read field by field, written back, and bad rows."""

from __future__ import annotations

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.google_csv import google_header, read_google_csv, write_google_csv
from rolodex.formats.google_labels import labels_of_tags, tags_of_labels
from tests.formats.samples import read_sample, read_text


def test_current_export_maps_every_column_to_its_home() -> None:
    ada, jose, plumber = read_sample("google-current.csv")
    assert ada.line == 2
    data = ada.contact_data
    assert data["name"] == {"givenName": "Ada", "familyName": "Lovelace", "prefix": "Countess"}
    assert data["displayName"] == "Ada Lovelace"
    # `* Home` (the older primary mark) is `home`; two values in one cell are two emails.
    assert data["emails"] == [
        {"type": "home", "value": "ada@example.org"},
        {"type": "home", "value": "ada.l@example.org"},
        {"type": "work", "value": "ada@engines.example"},
    ]
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+44 20 7946 0000"},
        {"type": "workFax", "value": "+44 20 7946 0001"},
    ]
    assert data["addresses"] == [
        {
            "type": "home",
            "formatted": "12 St James's Square\nLondon SW1Y 4JH\nUnited Kingdom",
            "street": "12 St James's Square",
            "city": "London",
            "postalCode": "SW1Y 4JH",
            "country": "United Kingdom",
        }
    ]
    assert data["organizations"] == [
        {"name": "Analytical Engines", "title": "Programmer", "department": "Research"}
    ]
    assert data["birthday"] == {"year": 1815, "month": 12, "day": 10}
    assert data["dates"] == [{"type": "anniversary", "year": 1835, "month": 7, "day": 8}]
    assert data["relatedPeople"] == [{"type": "spouse", "value": "William King"}]
    assert data["urls"] == [{"type": "blog", "value": "https://ada.example.org"}]
    assert data["ims"] == [{"type": "Skype", "value": "ada.lovelace"}]
    assert data["notes"] == "First programmer.\nWrote the notes on the engine."
    assert data["items"] == [
        {"type": "nickname", "value": "Ada"},
        {"type": "Photo", "value": "https://lh3.googleusercontent.com/contacts/ada"},
        # The canonical IM's type is its service; the label is kept, not dropped.
        {"type": "IM 1 - Label", "value": "Home"},
        {"type": "Favourite number", "value": "1729"},
    ]
    assert ada.tags == ["starred", "Friends", "Mathematicians"]

    # A birthday without a year; a column with no canonical home kept under its name.
    assert jose.line == 6  # Ada's notes span two physical lines
    assert jose.contact_data == {
        "name": {"givenName": "José", "middleName": "María", "familyName": "Núñez"},
        "birthday": {"month": 3, "day": 19},
        "phoneNumbers": [{"type": "mobile", "value": "+34 600 000 000"}],
        "items": [{"type": "Phonetic First Name", "value": "Hoh-SEH"}],
    }
    assert jose.tags == []
    assert plumber.contact_data["notes"] == 'Call before 5pm, "emergencies" only'
    assert plumber.tags == ["Trades"]


def test_older_export_with_group_membership_and_types_reads_the_same_way() -> None:
    grace, ferry = read_sample("google-old-utf8-bom.csv")
    data = grace.contact_data
    assert data["displayName"] == "Grace Hopper"
    assert data["name"] == {
        "givenName": "Grace",
        "middleName": "Brewster",
        "familyName": "Hopper",
        "prefix": "Rear Admiral",
    }
    assert data["emails"] == [
        {"type": "work", "value": "grace@navy.example"},
        {"type": "home", "value": "grace@home.example"},
    ]
    assert data["organizations"] == [
        {"name": "US Navy", "title": "Rear Admiral", "department": "Computing"}
    ]
    assert data["addresses"] == [
        {
            "type": "work",
            "street": "1 Navy Yard",
            "city": "Washington",
            "region": "DC",
            "postalCode": "20374",
            "country": "USA",
        }
    ]
    assert data["urls"] == [{"type": "profile", "value": "https://grace.example"}]
    assert sorted(data["items"], key=lambda i: i["type"]) == [
        {"type": "Occupation", "value": "Computer scientist"},
        {"type": "Organization 1 - Symbol", "value": "USN"},
        {"type": "Organization 1 - Type", "value": "Other"},
    ]
    # `* My Contacts` is every contact's group, not a tag; `* Friends` is.
    assert grace.tags == ["Navy", "Friends"]
    assert ferry.contact_data["name"] == {"givenName": "Ærøskøbing", "familyName": "Ferry"}
    assert ferry.contact_data["phoneNumbers"] == [{"type": "main", "value": "+45 62 52 40 00"}]
    assert ferry.tags == []


def test_samples_written_back_read_as_the_same_cards() -> None:
    for name in ("google-current.csv", "google-old-utf8-bom.csv"):
        cards = read_sample(name)
        text = "".join(write_google_csv(cards))
        again = [c for c in read_text(read_google_csv, text) if isinstance(c, Card)]
        assert [c.contact_data for c in again] == [c.contact_data for c in cards], name
        assert [c.tags for c in again] == [c.tags for c in cards]


def test_written_file_is_the_current_form_with_crlf_and_the_system_group() -> None:
    text = "".join(write_google_csv([Card({"name": {"givenName": "A"}}, tags=["starred", "X"])]))
    header, row, end = text.split("\r\n")
    assert header.split(",") == google_header()
    assert end == ""
    assert "* myContacts ::: * starred ::: X" in row


def test_labels_drop_the_all_contacts_group_and_keep_the_others() -> None:
    assert tags_of_labels("* myContacts ::: Friends ::: * starred ::: Friends") == [
        "Friends",
        "starred",
    ]
    assert labels_of_tags(["Friends"]) == "* myContacts ::: Friends"


def test_a_row_longer_than_the_header_is_a_problem_at_its_line() -> None:
    text = 'First Name,Last Name\nAda,Lovelace\n"Multi\nline",X\nBad,Row,extra\nGrace,Hopper\n'
    out = read_text(read_google_csv, text)
    assert [type(o).__name__ for o in out] == ["Card", "Card", "CardProblem", "Card"]
    problem = out[2]
    assert isinstance(problem, CardProblem)
    assert problem.line == 5
    assert "3 fields" in problem.message
    assert isinstance(out[3], Card)
    assert out[3].line == 6


def test_kept_columns_go_back_to_their_column_when_written() -> None:
    text = "First Name,Event 1 - Label,Event 1 - Value,IM 1 - Label,IM 1 - Service,IM 1 - Value\nAda,Graduation,June 2010,Home,Skype,ada\n"
    (card,) = read_text(read_google_csv, text)
    assert isinstance(card, Card)
    assert card.contact_data["items"] == [
        {"type": "Event 1 - Label", "value": "Graduation"},
        {"type": "Event 1 - Value", "value": "June 2010"},
        {"type": "IM 1 - Label", "value": "Home"},
    ]
    written = "".join(write_google_csv([card]))
    header, row = (line.split(",") for line in written.splitlines()[:2])
    cells = dict(zip(header, row, strict=True))
    assert cells["Event 1 - Label"] == "Graduation"
    assert cells["Event 1 - Value"] == "June 2010"
    assert (cells["IM 1 - Label"], cells["IM 1 - Service"], cells["IM 1 - Value"]) == (
        "Home",
        "Skype",
        "ada",
    )
    assert cells["Custom Field 1 - Label"] == ""
    (again,) = read_text(read_google_csv, written)
    assert isinstance(again, Card)
    assert again.contact_data == card.contact_data


def test_an_unreadable_birthday_is_kept_not_dropped() -> None:
    (card,) = read_text(read_google_csv, "First Name,Birthday\nAda,sometime in December\n")
    assert isinstance(card, Card)
    assert card.contact_data["items"] == [{"type": "Birthday", "value": "sometime in December"}]


def test_a_count_of_zero_still_writes_one_column_of_the_kind() -> None:
    card = Card({"emails": [{"value": "a@x.org"}, {"value": "b@x.org"}]})
    text = "".join(write_google_csv([card], {"E-mail": 0}))
    (back,) = read_text(read_google_csv, text)
    assert isinstance(back, Card)
    assert back.contact_data["emails"] == [{"value": "a@x.org"}, {"value": "b@x.org"}]
