"""The catalog's verdicts for typical machines, from a plain dataclass or a dict."""

from __future__ import annotations

import pytest

from app.models.catalog import CATALOG, GIB, Fit, Machine, default_entry, find, recommend


def test_the_default_is_ggml_orgs_gpt_oss_20b() -> None:
    entry = default_entry()
    assert (entry.repo_id, entry.filename) == ("ggml-org/gpt-oss-20b-GGUF",
                                               "gpt-oss-20b-mxfp4.gguf")
    assert 12e9 <= entry.size_bytes <= 12.2e9
    assert len({e.key for e in CATALOG}) == len(CATALOG)


def test_the_120b_model_is_one_entry_of_three_files() -> None:
    entry = find("gpt-oss-120b")
    assert entry is not None
    assert entry.files == [f"gpt-oss-120b-mxfp4-0000{n}-of-00003.gguf" for n in (1, 2, 3)]
    assert find("ggml-org/gpt-oss-120b-GGUF/gpt-oss-120b-mxfp4-00002-of-00003.gguf") is entry


@pytest.mark.parametrize("machine, fit_20b, fit_120b", [
    (Machine(8 * GIB), Fit.WONT_FIT, Fit.WONT_FIT),
    (Machine(16 * GIB), Fit.RUNS_SLOWLY, Fit.WONT_FIT),
    # Memory alone is no promise: a machine nothing else is known of is taken for a
    # modest 4-core laptop, where gpt-oss-20b writes about 8 words a second.
    (Machine(32 * GIB), Fit.RUNS_SLOWLY, Fit.WONT_FIT),
    (Machine(16 * GIB, vram_bytes=24 * GIB), Fit.RUNS_WELL, Fit.WONT_FIT),
    (Machine(16 * GIB, unified_memory=True), Fit.RUNS_SLOWLY, Fit.WONT_FIT),
    (Machine(32 * GIB, unified_memory=True), Fit.RUNS_WELL, Fit.WONT_FIT),
    (Machine(128 * GIB), Fit.RUNS_SLOWLY, Fit.RUNS_SLOWLY),
    (Machine(128 * GIB, unified_memory=True), Fit.RUNS_WELL, Fit.RUNS_WELL),
    (Machine(64 * GIB, vram_bytes=80 * GIB), Fit.RUNS_WELL, Fit.RUNS_WELL),
])
def test_verdicts(machine: Machine, fit_20b: Fit, fit_120b: Fit) -> None:
    small, large = find("gpt-oss-20b"), find("gpt-oss-120b")
    assert small is not None and large is not None
    assert small.verdict(machine).fit is fit_20b
    assert large.verdict(machine).fit is fit_120b


def test_a_longer_context_needs_more_memory() -> None:
    entry = default_entry()
    assert entry.memory_needed(131072) - entry.memory_needed(8192) > 2.5e9
    assert entry.memory_needed(10**9) == entry.memory_needed(131072)  # capped at the max
    assert entry.verdict(Machine(20 * GIB), context=131072).fit is Fit.RUNS_SLOWLY


def test_the_hardware_report_can_be_a_dict_and_reasons_are_sentences() -> None:
    verdict = default_entry().verdict({"ram_bytes": 8 * GIB, "vram_bytes": 2 * GIB})
    assert verdict.fit is Fit.WONT_FIT
    assert "needs about 13 GB" in verdict.text() and "has 8 GB of RAM" in verdict.text()
    assert verdict.speed is None and verdict.memory_needed > 12 * GIB


def test_recommendation_prefers_the_largest_model_that_runs_well() -> None:
    assert recommend(Machine(128 * GIB, unified_memory=True))[0].key == "gpt-oss-120b"
    entry, verdict = recommend(Machine(16 * GIB))
    assert entry.key == "gpt-oss-20b" and verdict.fit is Fit.RUNS_SLOWLY
    assert recommend(Machine(4 * GIB))[1].fit is Fit.WONT_FIT


def test_the_hardware_packages_facts_are_accepted_as_they_are() -> None:
    from types import SimpleNamespace

    gpu = SimpleNamespace(memory_total=24 * GIB, unified=False)
    facts = SimpleNamespace(ram_total=16 * GIB, gpus=(gpu,), apple_silicon=False)
    assert Machine.coerce(facts) == Machine(16 * GIB, 24 * GIB, False)
    assert default_entry().verdict(facts).fit is Fit.RUNS_WELL
    mac = SimpleNamespace(ram_total=32 * GIB, gpus=(), apple_silicon=True)
    assert Machine.coerce(mac).unified_memory


def test_an_embedding_model_is_offered_but_never_recommended_for_chat() -> None:
    from app.models.catalog import embedding_entries

    entries = embedding_entries()
    assert entries and all(e.embedding and not e.default for e in entries)
    assert entries[0].filename.endswith(".gguf") and entries[0].size_bytes < 2 * GIB
    huge = Machine(ram_bytes=512 * GIB, vram_bytes=192 * GIB)
    assert not recommend(huge)[0].embedding
    assert not recommend(Machine(ram_bytes=4 * GIB))[0].embedding
    assert [e for e in CATALOG if not e.embedding]  # chat models stay
    # Loaded with a 2048-token context beside the chat model: a little over 1 GB.
    assert 1.0 * GIB < entries[0].memory_needed() < 1.3 * GIB
    assert entries[0].memory_needed(131072) == entries[0].memory_needed()
