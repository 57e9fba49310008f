"""Full-text search: every field, any script, and never a syntax error from user input."""

from __future__ import annotations

import pytest

from app.chats import search
from app.chats.store import ChatStore
from tests.chats.conftest import exchange


@pytest.fixture
def filled(store: ChatStore) -> ChatStore:
    recipes = store.create_conversation("Sourdough recipes")
    exchange(store, recipes.id, "How long should dough proof?",
             "Proof the dough for 4 hours at room temperature.",
             reasoning="The user bakes bread; fermentation depends on warmth.")
    code = store.create_conversation()
    exchange(store, code.id, 'Why does SELECT * FROM "t" WHERE a AND (b OR c) fail?',
             "Because of operator precedence: use parentheses (a AND b) OR c.")
    world = store.create_conversation()
    exchange(store, world.id, "日本語で東京について教えて", "東京は日本の首都です。Größe: ß.")
    return store


@pytest.mark.parametrize("query, field", [
    ("sourdough", "title"), ("proof", "user text"), ("room temperature", "answer"),
    ("fermentation", "reasoning"), ("ROOM TEMP", "case"), ("ough", "inside a word"),
    ("東京", "a script without spaces"), ("首都", "two characters"), ("größe", "unicode"),
])
def test_finds_each_field(filled: ChatStore, query: str, field: str) -> None:
    assert filled.search(query), f"nothing found in the {field}"


def test_title_hits_come_first_then_messages(filled: ChatStore) -> None:
    hits = filled.search("dough")
    assert hits[0].message_id is None and hits[0].title == "Sourdough recipes"
    assert all(h.message_id is not None for h in hits[1:]) and len(hits) >= 3
    answer = next(h for h in hits if "Proof the dough" in h.snippet)
    assert answer.title == "Sourdough recipes"


def test_reasoning_hit_shows_the_reasoning(filled: ChatStore) -> None:
    (hit,) = filled.search("fermentation")
    assert "fermentation depends on warmth" in hit.snippet


def test_every_word_must_match(filled: ChatStore) -> None:
    assert filled.search("dough hours")
    assert filled.search("dough parentheses") == []


@pytest.mark.parametrize("query", [
    '"', '""', '"unclosed', "*", "proof*", "AND", "OR", "NOT", "NEAR", "NEAR(a b)", "(",
    ")", "a AND (b", "-", "-proof", "+", ":", "title:proof", "^", "^proof", "'", "\\",
    "%", "_", "%%", "a_b", "{", "}", "[", "]", "\x00", "é", "proof \" AND ( *",
])
def test_fts_syntax_in_user_input_is_just_text(filled: ChatStore, query: str) -> None:
    filled.search(query)  # never raises


def test_special_characters_are_found_literally(filled: ChatStore) -> None:
    hits = filled.search('"t"')
    assert hits[0].title.startswith('Why does SELECT * FROM "t"')
    assert hits[1].snippet.startswith('Why does SELECT * FROM "t"')
    assert filled.search("(b OR c)")
    assert filled.search("AND (")
    assert filled.search("*")
    assert filled.search("%") == []  # not a LIKE wildcard
    assert filled.search("_") == []


def test_empty_and_limit(filled: ChatStore) -> None:
    assert filled.search("") == filled.search("   ") == []
    assert len(filled.search("o", limit=2)) == 2
    assert filled.search("dough", limit=0) == []


def test_deleted_and_removed_messages_are_not_found(filled: ChatStore) -> None:
    conv_id = filled.search("sourdough")[0].conversation_id
    filled.delete_conversation(conv_id)
    assert filled.search("dough") == []
    filled.undo_delete(conv_id)
    assert filled.search("dough")
    question = filled.path(conv_id)[0]
    filled.delete_message(question.id)
    assert [h.message_id for h in filled.search("dough")] == [None]  # only the title


def test_rename_updates_the_title_index(filled: ChatStore) -> None:
    conv_id = filled.search("sourdough")[0].conversation_id
    filled.rename(conv_id, "Bread notes")
    assert all(h.message_id is not None for h in filled.search("sourdough"))
    assert filled.search("bread notes")[0].message_id is None


def test_snippet_is_one_line_around_the_match() -> None:
    text = "start " + "filler " * 100 + "NEEDLE in the\nhaystack " + "tail " * 100
    snip = search.snippet(text, ["needle"])
    assert snip.startswith("…") and snip.endswith("…")
    assert "NEEDLE in the haystack" in snip and "\n" not in snip
    assert len(snip) <= search.SNIPPET_CHARS + 2
    assert search.snippet("short", ["x"]) == "short"


def test_parse_quotes_every_term() -> None:
    parsed = search.parse('say "hi" or * me')
    assert parsed.match == '"say" AND """hi"""'
    assert parsed.likes == ["%or%", "%*%", "%me%"]
