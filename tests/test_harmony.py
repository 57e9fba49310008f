"""The streaming harmony parser: golden transcripts, every split point, and fuzzing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import harmony
from app.engine.harmony import HarmonyParser, parse_all, strip_tokens

# Real gpt-oss-20b output shapes (the prompt ended with "<|start|>assistant").
ANALYSIS_THEN_FINAL = (
    "<|channel|>analysis<|message|>User asks for the capital of France. Answer: Paris."
    "<|end|><|start|>assistant<|channel|>final<|message|>The capital of France is **Paris**."
    "<|return|>"
)
TOOL_CALL = (
    "<|channel|>analysis<|message|>Need to use function get_weather.<|end|>"
    "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json"
    '<|message|>{"location":"San Francisco"}<|call|>'
)
STRAY_COMMENTARY = (
    "<|channel|>analysis<|message|>Thinking about it.<|channel|>commentary<|message|>"
    "Let me check.<|end|><|start|>assistant<|channel|>final<|message|>Done.<|return|>"
)
TOKEN_RE = re.compile(r"<\|[A-Za-z0-9_]+\|>")


def texts(events: list[harmony.Event]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ev in events:
        if ev.text:
            out[ev.kind] = out.get(ev.kind, "") + ev.text
    return out


def boundaries(events: list[harmony.Event]) -> list[tuple[str, str | None]]:
    return [(ev.kind, ev.channel) for ev in events
            if ev.kind in (harmony.MESSAGE_START, harmony.MESSAGE_END)]


def test_analysis_then_final() -> None:
    events = parse_all([ANALYSIS_THEN_FINAL])
    assert texts(events) == {
        "reasoning": "User asks for the capital of France. Answer: Paris.",
        "answer": "The capital of France is **Paris**.",
    }
    assert boundaries(events) == [
        ("message_start", "analysis"), ("message_end", "analysis"),
        ("message_start", "final"), ("message_end", "final"),
    ]
    assert not any(ev.truncated for ev in events)


def test_tool_call_goes_to_its_recipient() -> None:
    events = parse_all([TOOL_CALL])
    assert texts(events) == {
        "reasoning": "Need to use function get_weather.",
        "tool_call": '{"location":"San Francisco"}',
    }
    calls = [ev for ev in events if ev.kind == "tool_call"]
    assert {ev.recipient for ev in calls} == {"functions.get_weather"}


def test_recipient_in_role_position() -> None:
    events = parse_all(["<|start|>assistant to=functions.lookup<|channel|>commentary json"
                        '<|message|>{"q":1}<|call|>'], in_header=False)
    assert texts(events) == {"tool_call": '{"q":1}'}


def test_stray_channel_inside_a_message_starts_a_new_one() -> None:
    events = parse_all([STRAY_COMMENTARY])
    assert texts(events) == {"reasoning": "Thinking about it.", "answer": "Let me check.Done."}
    assert ("message_start", "commentary") in boundaries(events)


def test_missing_final_gives_reasoning_only() -> None:
    parser = HarmonyParser()
    events = parser.feed("<|channel|>analysis<|message|>Only thinking") + parser.finish()
    assert texts(events) == {"reasoning": "Only thinking"}
    assert not parser.saw_final
    assert events[-1].kind == "message_end" and events[-1].truncated


def test_answer_cut_off_by_token_limit_is_kept_and_marked() -> None:
    events = parse_all(["<|channel|>final<|message|>The answer is 4", "2 and"])
    assert texts(events) == {"answer": "The answer is 42 and"}
    assert events[-1].kind == "message_end" and events[-1].truncated


def test_header_cut_off_is_not_shown() -> None:
    events = parse_all([ANALYSIS_THEN_FINAL.replace("<|return|>", "<|end|>") +
                        "<|start|>assistant<|channel|>fin"])
    assert texts(events)["answer"] == "The capital of France is **Paris**."


def test_model_without_header_is_shown_as_answer() -> None:
    assert texts(parse_all(["Hello there, no header at all."])) == {
        "answer": "Hello there, no header at all."
    }


def test_malformed_long_header_becomes_answer_without_tokens() -> None:
    rambling = "blah " * 60
    events = parse_all(["<|start|>assistant" + rambling + "<|message|>x"], in_header=False)
    joined = "".join(ev.text for ev in events)
    assert "blah blah" in joined and "<|" not in joined


def test_unknown_and_reserved_tokens_are_dropped() -> None:
    events = parse_all(["<|channel|>final<|message|>a<|reserved_200010|>b<|constrain|>c"
                        "<|return|>"])
    assert texts(events) == {"answer": "abc"}


def test_token_formed_only_by_removal_never_leaks() -> None:
    events = parse_all(["<|channel|>final<|message|>x<|<|constrain|>end|>y<|return|>"])
    assert "<|end|>" not in texts(events).get("answer", "")
    assert not TOKEN_RE.search("".join(ev.text for ev in events))


def test_plain_angle_brackets_survive() -> None:
    text = "if a < b and b <| c or x|>y: print('<|not a token')"
    events = parse_all([f"<|channel|>final<|message|>{text}<|return|>"])
    assert texts(events) == {"answer": text}


def test_every_split_point_gives_the_same_result() -> None:
    for transcript in (ANALYSIS_THEN_FINAL, TOOL_CALL, STRAY_COMMENTARY):
        whole = texts(parse_all([transcript]))
        whole_bounds = boundaries(parse_all([transcript]))
        for i in range(len(transcript) + 1):
            for j in range(i, len(transcript) + 1, 7):
                pieces = [transcript[:i], transcript[i:j], transcript[j:]]
                events = parse_all(pieces)
                assert texts(events) == whole, (i, j)
                assert boundaries(events) == whole_bounds, (i, j)


def test_one_character_at_a_time() -> None:
    events = parse_all(list(ANALYSIS_THEN_FINAL))
    assert texts(events) == texts(parse_all([ANALYSIS_THEN_FINAL]))


_pieces = st.lists(
    st.one_of(
        st.sampled_from([*harmony.HARMONY_TOKENS, "<|reserved_200012|>", "<|endoftext|>",
                         "assistant", "analysis", "final", "commentary", " to=functions.f",
                         "<", "|", ">", "<|", "|>", "json"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=12),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(pieces=_pieces, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
       in_header=st.booleans())
def test_no_harmony_token_ever_leaks(pieces: list[str], cuts: list[int], in_header: bool) -> None:
    stream = "".join(pieces)
    points = sorted({c % (len(stream) + 1) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)])]
    events = parse_all(chunks, in_header=in_header)
    by_kind: dict[str, str] = {}
    for ev in events:
        assert not TOKEN_RE.search(ev.text), ev
        by_kind[ev.kind] = by_kind.get(ev.kind, "") + ev.text
    for text in by_kind.values():
        assert not TOKEN_RE.search(text)
    # Splitting never changes what the user reads.
    assert texts(events) == texts(parse_all([stream], in_header=in_header))


def test_strip_tokens() -> None:
    assert strip_tokens("a<|end|>b<|<|x|>end|>c<") == "abc<"
