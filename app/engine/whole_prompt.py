"""The prompt of a request that must be answered whole or refused (the local API's).

The window's chats leave out their oldest turns when the conversation outgrows the
context (:meth:`app.engine.model_host.ModelHost._fit`). A program talking to Cove's
OpenAI-compatible API expects OpenAI's behaviour instead: a request that does not fit
is refused (``context_length_exceeded``) before anything is generated, so the program
knows and can shorten it itself. "Fits" means the prompt plus the room the answer
needs: ``max_tokens`` when the request sets it (as OpenAI counts it), else
:func:`app.engine.prompt.least_answer_room`.

Cheap, also for a request far too long (a program may send a six-figure number of
turns): the conversation is rendered from its end, a few turns first, then as many as
the tokens seen so far suggest would fill the context, so a conversation longer than
the context is refused after rendering little more than a context's worth of it (its
size then given as "more than" the tokens rendered), and one that fits is rendered in
full once (plus the few turns of the first try).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.engine.prompt import ChatMessage, least_answer_room

FIRST_TURNS = 32  # turns rendered in the first try


def whole_prompt(render: Callable[[Sequence[ChatMessage]], list[int]],
                 messages: Sequence[ChatMessage], n_ctx: int,
                 max_tokens: int | None = None) -> tuple[list[int] | None, str]:
    """The prompt's tokens, or None and why it is refused (English, for the client).

    ``render(part)`` gives the prompt tokens of a conversation's last turns (a part
    always starts at a user message, so templates that insist on alternating roles
    take it)."""
    room = max_tokens or least_answer_room(n_ctx)
    budget = n_ctx - room
    starts = [i for i, m in enumerate(messages) if m["role"] == "user"]
    turns = FIRST_TURNS
    while True:
        cut = starts[-turns] if turns < len(starts) else 0
        tokens = render(messages[cut:])
        if cut == 0 or len(tokens) > n_ctx:  # all of it, or more than the context
            break
        # As many turns as would fill the context at this rate, and at least twice as many.
        turns = max(2 * turns, turns * (n_ctx + 1) // max(1, len(tokens)) + 1)
    if len(tokens) <= budget:
        return tokens, ""
    taken = f"{'more than ' if cut else ''}{len(tokens)}"
    if max_tokens:
        return None, (f"This model's context is {n_ctx} tokens; your messages take "
                      f"{taken} and max_tokens asks for {max_tokens} more. Send fewer or "
                      "shorter messages, ask for fewer tokens, or load the model with a "
                      "longer context.")
    return None, (f"This model's context is {n_ctx} tokens; your messages take {taken}, "
                  f"leaving less than the {room} an answer needs. Send fewer or shorter "
                  "messages, or load the model with a longer context.")
