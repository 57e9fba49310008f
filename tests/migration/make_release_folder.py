"""Make the data folder of a user of Cove's release 3799c7a, with that release's own code.

The folder in ``tests/data/release-3799c7a/`` is what ``test_release_folder.py`` opens
with today's code: the promise of issue 12 is that a user's existing data folder opens
after the conversation-layer change with every conversation, attachment and source.
It must therefore be written by the *release*, not by today's code, and it is committed
(a later schema change must still read what the release wrote, byte for byte).

Everything is inserted through the release's public APIs (``ChatStore``,
``AnswerWriter``, ``DocumentIndex``, ``Retriever``, ``settings.save``), as its window
would: no model runs, the answers' text is written here.

What the folder holds (titles are what the test looks for):

- "Lisbon in three days": pinned; two finished answers with reasoning, then a stopped one.
- "Regenerated and edited": a regenerated first answer (two sibling answers) and an
  edited second question (two sibling questions, the edited branch on screen).
- "Captain's log": a custom system prompt; its second answer ended in an error.
- "Old shopping list": deleted, still in the undo window (the release purges deleted
  conversations when its window closes: this user's Cove was killed first). It has the
  text file attached too, so purging it must keep the file for the harbour conversation.
- "Essay on tides": an answer that was streaming when Cove was killed (status still
  ``streaming`` in the file: the next start marks it interrupted, text kept).
- "Harbour report": a text file and a two-page PDF attached and indexed; one answer whose
  sources were saved (the cited passages, as the release's window keeps them) and one
  whose saved context says nothing was found in the documents.
- ``settings.json`` with non-default values, the plan overrides among them.

Layout written to OUT (default ``tests/data/release-3799c7a``)::

    home/data/cove.db, home/data/documents.db   the data folder (COVE_HOME/data)
    home/config/settings.json
    files/notes.txt, files/harbour-report.pdf    the user's own documents (outside it)
    expected.json                                what the release itself read back

The documents database stores absolute paths; ``expected.json`` records the ``root`` they
were made under (the parent of COVE_HOME), so the test can put the files elsewhere and
point the paths there.

Re-run (from /work/main, or any checkout of this repository)::

    git worktree add /tmp/release-3799c7a 3799c7a
    root=$(mktemp -d)
    COVE_HOME=$root/home PYTHONPATH=/tmp/release-3799c7a \\
        .venv/bin/python tests/migration/make_release_folder.py tests/data/release-3799c7a
    git worktree remove /tmp/release-3799c7a; rm -rf "$root"

Run it again only to add something the release could have written: the committed folder
is the reference, and a new one differs in every timestamp.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

RELEASE = "3799c7a"
NOTES = """Harbour notes

The lighthouse at Porto Velho was lit for the first time in 1872.
Its lamp burned whale oil until 1911, then paraffin, and electricity from 1958.
The keeper's cottage now houses a small museum about the fishing fleet.
"""
PDF_PAGES = [
    ["Harbour report 2024", "", "Cargo handled: 4.2 million tonnes, up 6 percent.",
     "The new container quay opened in March."],
    ["Dredging", "", "The channel was dredged to 14 metres in the autumn.",
     "Sediment was taken to the licensed site off Cabo Raso."],
]


def _check_release() -> None:
    """Refuse to run on any code but the release's: the folder would then prove nothing."""
    import app

    source = Path(app.__file__).resolve().parent.parent
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    if not head.startswith(RELEASE):
        sys.exit(f"app comes from {source} at {head[:7]}, not the release {RELEASE}: "
                 "set PYTHONPATH to a worktree of it")
    if not os.environ.get("COVE_HOME"):
        sys.exit("set COVE_HOME to an empty temporary folder")


def _answer(store: Any, conversation_id: int, parent_id: int, text: str,
            reasoning: str = "", status: str = "complete", error: str | None = None,
            effort: str = "medium") -> Any:
    """An answer written as the release's window writes one: streamed, then finished."""
    writer = store.start_answer(conversation_id, parent_id, "gpt-oss-20b", effort)
    if reasoning:
        writer.append(reasoning=reasoning)
    writer.append(answer=text)
    return writer.finish(status, error, {"prompt_tokens": 120, "completion_tokens": 48,
                                          "tokens_per_s": 21.5})


def _exchange(store: Any, conversation_id: int, question: str, answer: str,
              reasoning: str = "", **kwargs: Any) -> tuple[Any, Any]:
    user = store.add_user_message(conversation_id, question)
    return user, _answer(store, conversation_id, user.id, answer, reasoning, **kwargs)


def _conversations(store: Any) -> dict[str, int]:
    """Every conversation but the documents one; returns their ids by role."""
    ids: dict[str, int] = {}
    lisbon = store.create_conversation()
    _exchange(store, lisbon.id, "Plan three days in Lisbon for me.",
              "Day 1: Alfama and the castle. Day 2: Belém. Day 3: Sintra.",
              reasoning="The user wants a short itinerary.")
    _exchange(store, lisbon.id, "Where should I eat on day 2?",
              "Try the pastéis de nata near the monastery in Belém.",
              reasoning="Belém is famous for its custard tarts.")
    _exchange(store, lisbon.id, "And the evening?", "For the evening, the riverside",
              status="stopped")
    store.set_pinned(lisbon.id, True)
    ids["pinned"] = lisbon.id

    branches = store.create_conversation("Regenerated and edited")
    question, _first = _exchange(store, branches.id, "Name a prime number.", "Nine.")
    _answer(store, branches.id, question.id, "Seven is a prime number.")  # regenerate
    asked, _ = _exchange(store, branches.id, "Is it odd?", "Yes, seven is odd.")
    edited = store.edit_and_branch(asked.id, "Is it even?")
    _answer(store, branches.id, edited.id, "No, seven is odd, not even.")
    ids["branches"] = branches.id

    captain = store.create_conversation(system_prompt="Answer like a ship's captain.")
    _exchange(store, captain.id, "How is the weather?", "Fair winds, sailor! Clear skies.")
    _exchange(store, captain.id, "And tomorrow?", "", status="error",
              error="The model stopped working while answering. Nothing was lost.")
    ids["system_prompt"] = captain.id

    essay = store.create_conversation()
    asked = store.add_user_message(essay.id, "Write an essay on tides.")
    writer = store.start_answer(essay.id, asked.id, "gpt-oss-20b", "high")
    writer.append(reasoning="An essay needs an outline first.")
    writer.append(answer="Tides are the rise and fall of the sea, caused mainly by")
    writer.flush()  # saved as it grew; Cove is killed before the answer ends
    ids["interrupted"] = essay.id
    return ids


def _documents(store: Any, index: Any, files: Path, ids: dict[str, int]) -> dict[str, Any]:
    """The documents conversation (and the deleted one sharing its text file); returns
    the answers whose sources were saved."""
    from app.documents.context import NONE
    from app.documents.retrieve import Retriever
    from tests.documents.pdfs import Page, write_pdf

    files.mkdir(parents=True, exist_ok=True)
    notes = files / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    pdf = write_pdf(files / "harbour-report.pdf",
                    [Page(lines) for lines in PDF_PAGES], title="Harbour report 2024")

    harbour = store.create_conversation()  # the window makes it when a file is attached
    for path in (notes, pdf):
        document = index.attach_file(harbour.id, path)
        index.index(document.id)
    retriever = Retriever(index)
    question = "When was the lighthouse first lit, and how deep is the channel?"
    context = retriever.context(harbour.id, question, budget=4000)
    assert context.found and context.mode != NONE, context
    _user, answer = _exchange(
        store, harbour.id, question,
        "The lighthouse was first lit in 1872 [1], and the channel was dredged to "
        "14 metres [3].")
    cited = tuple(context.cited(answer.content)) or context.sources
    assert len(cited) == 2, [s.label for s in context.sources]
    index.save_answer_sources(harbour.id, answer.id, replace(context, sources=cited))

    question = "What does the report say about penguins?"
    missed = retriever.context(harbour.id, question, budget=100)  # too small for whole files
    assert not missed.found, missed
    _user, unanswered = _exchange(store, harbour.id, question,
                                  "The documents say nothing about penguins.")
    index.save_answer_sources(harbour.id, unanswered.id, missed)
    ids["documents"] = harbour.id

    shopping = store.create_conversation("Old shopping list")
    _exchange(store, shopping.id, "Remind me: milk, eggs, bread.", "Milk, eggs, bread.")
    index.attach_file(shopping.id, notes)  # the same content: one document, two chats
    store.delete_conversation(shopping.id)
    ids["deleted"] = shopping.id
    return {"found": answer.id, "not_found": unanswered.id}


def _settings(home: Path) -> dict[str, Any]:
    from app.config import settings as settings_mod

    saved = settings_mod.Settings(
        theme="dark", language="en", default_effort="high", n_ctx=8192, use_gpu="off",
        n_cpu_moe=4, n_threads=6, flash_attn="on", max_tokens=2048,
        sampling={"temperature": 0.7}, system_prompt="Be brief.",
        model_path=str(home / "data" / "models" / "gpt-oss-20b-mxfp4.gguf"),
        sidebar_width=300)
    settings_mod.save(saved)
    return json.loads(settings_mod.settings_path().read_text(encoding="utf-8"))


def _expected(store: Any, index: Any, ids: dict[str, int], answers: dict[str, int],
              settings: dict[str, Any], root: Path) -> dict[str, Any]:
    """What the release itself reads back from the folder it wrote."""
    conversations = {}
    for role, cid in ids.items():
        conv = store.conversation(cid)
        path = store.path(cid)
        conversations[role] = {
            **asdict(conv),
            "messages": [asdict(m) for m in store.messages(cid)],
            "path": [m.id for m in path],
            "branch_points": {str(k): list(v) for k, v in store.branch_points(cid).items()},
            "documents": [{**asdict(d), "path": str(Path(d.path).relative_to(root))}
                          for d in index.documents(cid)],
        }
    sources = {}
    for role, message_id in answers.items():
        context = index.answer_sources(message_id)
        sources[role] = {"message_id": message_id, "mode": context.mode,
                         "found": context.found, "notes": list(context.notes),
                         "sources": [{"number": s.number, "file": s.file, "label": s.label,
                                      "page": s.page, "passage": s.passage,
                                      "path": str(Path(s.path).relative_to(root))}
                                     for s in context.sources]}
    return {"release": RELEASE, "root": str(root),
            "sidebar": [c.id for c in store.conversations()],
            "search": {"lighthouse": [[h.conversation_id, h.message_id]
                                      for h in store.search("lighthouse")]},
            "conversations": conversations, "sources": sources, "settings": settings}


def main(out: Path) -> None:
    _check_release()
    from app.chats.store import ChatStore
    from app.config import paths
    from app.documents.index import DocumentIndex

    home = Path(os.environ["COVE_HOME"]).resolve()
    root = home.parent
    store = ChatStore.default()
    index = DocumentIndex(paths.data_dir() / "documents.db")  # where the window keeps it
    ids = _conversations(store)
    answers = _documents(store, index, root / "files", ids)
    expected = _expected(store, index, ids, answers, _settings(home), root)
    index.close()
    store.close()  # the essay's answer stays 'streaming', as after a kill
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(home, out / "home")
    shutil.copytree(root / "files", out / "files")
    for leftover in (out / "home").rglob("*"):
        if leftover.name.endswith(("-wal", "-shm")):
            sys.exit(f"{leftover} was left: the databases were not closed cleanly")
    (out / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else
         Path(__file__).resolve().parents[1] / "data" / f"release-{RELEASE}")
