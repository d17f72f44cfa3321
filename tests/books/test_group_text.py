"""A group card's text as served: the client's own lines, members and name current."""

from __future__ import annotations

from rolodex.books.group_text import listed, plain_uid, render

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//AddressBook 8.0//EN\r\n"
    "N:Friends;;;;\r\nFN:Friends\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a-very-long-uid-that-a-client-\r\n folded\r\n"
    "X-CUSTOM;X-PARAM=1:kept\r\nUID:g1\r\nEND:VCARD\r\n"
)


def test_unchanged_members_and_name_give_the_text_as_sent() -> None:
    assert listed(CARD) == ["ada", "a-very-long-uid-that-a-client-folded"]
    same = render(CARD, "Friends", ["urn:uuid:a-very-long-uid-that-a-client-folded", "ada"])
    assert same == CARD


def test_members_leave_and_join_and_the_rest_is_kept() -> None:
    text = render(CARD, "Friends", ["ada", "urn:uuid:bob"])
    assert "folded" not in text
    assert text.endswith(
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\nX-CUSTOM;X-PARAM=1:kept\r\nUID:g1\r\n"
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bob\r\nEND:VCARD\r\n"
    )


def test_a_rename_rewrites_fn_and_n_and_unknown_members_stay() -> None:
    text = render(CARD, "Pals; old", [], frozenset({"ada"}))
    assert "N:Pals\\; old;;;;\r\nFN:Pals\\; old\r\n" in text
    assert "urn:uuid:ada" in text
    assert "folded" not in text


def test_a_vcard_4_group_with_lf_line_ends() -> None:
    card = "BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:Team\nUID:t\nEND:VCARD\n"
    assert render(card, "Team", ["x"]) == card.replace("END:", "MEMBER:urn:uuid:x\nEND:")
    assert plain_uid("URN:UUID:abc") == "abc"
