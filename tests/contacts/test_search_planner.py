"""The search planner on its own, without a database: what a query's rank buckets hold,
which words every match must contain, and when the index narrows to the owner first."""

from __future__ import annotations

from rolodex.contacts.search import text
from rolodex.contacts.search.planner import (
    LAST_RANK,
    PRIMARY_COLUMNS,
    Bucket,
    Plan,
    narrows_to_owner,
    split_nots,
)
from rolodex.contacts.search.query import And, Not, Or, TagTerm, Term, parse


def plan(query: str) -> Plan:
    return Plan(parse(query, region="US"))


def test_a_bare_word_is_ranked_by_where_it_is_found() -> None:
    tea = Term(("tea",), None, True)
    in_name = Term(("tea",), text.NAME_COLUMNS, False)
    name_prefix = Term(("tea",), text.NAME_COLUMNS, True)
    primary = Term(("tea",), PRIMARY_COLUMNS, True)
    assert plan("tea").required() == [tea]
    assert plan("tea").ranks() == [(0, (in_name,)), (1, (name_prefix,)), (2, (primary,))]
    assert plan("tea").buckets() == [
        Bucket(0, in_name, in_name),
        Bucket(1, And((name_prefix, Not(in_name))), name_prefix),
        Bucket(2, And((primary, Not(Or((in_name, name_prefix))))), primary),
        Bucket(LAST_RANK, And((tea, Not(Or((in_name, name_prefix, primary))))), tea),
    ]


def test_a_query_without_a_prefix_has_one_name_rank() -> None:
    ranks = plan('"tea cup"').ranks()
    assert [rank for rank, _ in ranks] == [0, 2]
    assert [bucket.rank for bucket in plan('"tea cup"').buckets()] == [0, 2, LAST_RANK]


def test_other_terms_narrow_every_rank_but_do_not_rank() -> None:
    buckets = plan("tea -notes:cake").buckets()
    unwanted = Not(Term(("cake",), (text.NOTES,), True))
    assert all(isinstance(b.positive, And) and unwanted in b.positive.items for b in buckets)
    # Field-qualified words and ORs alone: one bucket, in key order.
    only = plan("notes:tea OR company:tea")
    assert only.required() == []
    assert only.buckets() == [Bucket(0, only.node, only.node)]


def test_tag_terms_are_conditions_on_the_contacts_not_the_index() -> None:
    tagged = plan("tag:vip smith")
    assert tagged.tag_items() == [TagTerm("vip")]
    assert tagged.text() == Term(("smith",), None, True)
    assert all(bucket.node is not None for bucket in tagged.buckets())
    assert plan("tag:vip").text() is None
    assert plan("tag:vip").buckets() == [Bucket(0, None, None)]


def test_an_empty_query_is_one_bucket_of_every_contact() -> None:
    assert plan("").buckets() == [Bucket(0, None, None)]
    assert plan("").items == ()


def test_the_nots_of_a_walk_are_split_from_the_rest() -> None:
    node = plan("ola -bergen -sales").node
    nots, rest = split_nots(node)
    assert rest == Term(("ola",), None, True)
    assert nots == [Not(Term(("bergen",), None, True)), Not(Term(("sales",), None, True))]
    assert split_nots(None) == ([], None)
    assert split_nots(Term(("ola",))) == ([], Term(("ola",)))


def test_the_index_narrows_to_the_owner_unless_the_owner_holds_most_of_it() -> None:
    assert narrows_to_owner(10, 1_000)
    assert narrows_to_owner(0, 1)
    assert not narrows_to_owner(600, 1_000)
    assert not narrows_to_owner(500, 1_000)
    assert not narrows_to_owner(0, 0)  # an empty store: nothing to narrow
