"""Read a GGUF file's header without loading the model, and refuse bad files early.

llama.cpp aborts the whole process on some malformed files, so nothing reaches it
before this check says the file is a GGUF whose tensor data is all there. Only the
header is read (metadata and tensor directory), never the weights: a 12 GB file costs
a few megabytes of reading.

It sits at the top of ``app``, beside ``reasons``, because three packages read headers:
the engine (refusing a bad file), hardware (weighing tensors for the plan) and models
(listing the library). Inside any one of them it would tie the others to it in a circle.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app.reasons import Reason, say

MAGIC = b"GGUF"

# ggml type id -> (elements per block, bytes per block)
_TYPE_SIZES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24),
    8: (32, 34), 9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144),
    13: (256, 176), 14: (256, 210), 15: (256, 292), 16: (256, 66), 17: (256, 74),
    18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82),
    23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
    29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17),
}

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
    10: "<Q", 11: "<q", 12: "<d",
}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")
# Arrays longer than this (token lists) are skipped rather than kept in memory.
_KEEP_ARRAY = 64


class GGUFError(Exception):
    """A model file that must not be handed to llama.cpp; the text is for the user:
    whole sentences that name the file, say what is wrong and what to do (each made
    from an :class:`app.reasons.Reason`, so a window can say it in its language)."""


@dataclass
class GGUFHeader:
    version: int
    metadata: dict[str, Any] = field(default_factory=dict)
    tensor_count: int = 0
    data_offset: int = 0
    data_size: int = 0  # bytes of tensor data the header promises
    file_size: int = 0
    # (name, bytes) of every tensor, in file order: what the hardware planner weighs to
    # decide which layers and expert tensors go to the GPU. 0 bytes for unknown types.
    tensors: list[tuple[str, int]] = field(default_factory=list)
    parameter_count: int = 0  # weights in this file (one part of a split model)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def context_length(self) -> int | None:
        """The context the model was trained for (``<arch>.context_length``)."""
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) else None

    @property
    def quantization(self) -> str:
        """llama.cpp's name for ``general.file_type`` (``MXFP4_MOE``, ``Q4_K_M``…)."""
        return file_type_name(self.metadata.get("general.file_type"))

    @property
    def split_count(self) -> int:
        """How many files the model is split into (1 for an ordinary GGUF)."""
        value = self.metadata.get("split.count", 1)
        return int(value) if isinstance(value, int) and value > 0 else 1


# llama.cpp's ``llama_ftype`` (``general.file_type``) -> the name users see in file names.
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
    10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M",
    16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S",
    22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M",
    28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
    37: "TQ2_0", 38: "MXFP4_MOE",
}


def file_type_name(file_type: Any) -> str:
    """A readable quantization name, or "unknown" when the header does not say."""
    if not isinstance(file_type, int):
        return "unknown"
    return FILE_TYPES.get(file_type, f"type {file_type}")


class _Reader:
    def __init__(self, f: BinaryIO, name: str) -> None:
        self.f = f
        self.name = name  # the file's name, for the messages

    def cut_short(self) -> GGUFError:
        return GGUFError(say(Reason.CUT_SHORT, file=self.name))

    def damaged(self, what: str) -> GGUFError:
        return GGUFError(say(Reason.DAMAGED, file=self.name, what=what))

    def take(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise self.cut_short()
        return data

    def scalar(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.scalar("<Q")
        if n > 1 << 28:
            raise self.damaged("a text entry claims an impossible length")
        return self.take(n).decode("utf-8", "replace")

    def skip_strings(self, count: int) -> None:
        """Walk past a long string array (a 200k-entry token list) without decoding it:
        read the file in large blocks and hop from length prefix to length prefix."""
        buf = b""
        pos = 0
        for _ in range(count):
            if len(buf) - pos < 8:
                buf = buf[pos:] + self.f.read(1 << 20)
                pos = 0
                if len(buf) < 8:
                    raise self.cut_short()
            (n,) = _U64.unpack_from(buf, pos)
            pos += 8 + n
            if pos > len(buf):
                # The string runs past the block: seek over the rest of it.
                self.f.seek(pos - len(buf), 1)
                buf, pos = b"", 0
        self.f.seek(pos - len(buf), 1)

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.scalar(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            itype, count = self.scalar("<I"), self.scalar("<Q")
            if count > 1 << 32:
                raise self.damaged("a list claims an impossible length")
            if itype in _SCALARS and count > _KEEP_ARRAY:
                self.f.seek(struct.calcsize(_SCALARS[itype]) * count, 1)
                return count
            if itype == _STRING and count > _KEEP_ARRAY:
                self.skip_strings(count)
                return count
            items = [self.value(itype) for _ in range(count)]
            return items if count <= _KEEP_ARRAY else count
        raise self.damaged(f"an entry has the unknown value type {vtype}")


def read_header(path: Path) -> GGUFHeader:
    """Metadata (long arrays replaced by their length) and the tensor data extent."""
    f = _open(path)
    size = os.fstat(f.fileno()).st_size
    with f:
        r = _Reader(f, path.name)
        if f.read(4) != MAGIC:
            raise GGUFError(say(Reason.NOT_GGUF, file=path.name))
        version = r.scalar("<I")
        if version not in (2, 3):
            raise GGUFError(say(Reason.GGUF_VERSION, file=path.name, version=version))
        header = GGUFHeader(version=version, file_size=size)
        header.tensor_count = r.scalar("<Q")
        kv_count = r.scalar("<Q")
        if header.tensor_count > 1 << 24 or kv_count > 1 << 24:
            raise r.damaged("impossible numbers of entries")
        for _ in range(kv_count):
            key = r.string()
            header.metadata[key] = r.value(r.scalar("<I"))
        end = 0
        for _ in range(header.tensor_count):
            name = r.string()
            n_dims = r.scalar("<I")
            if n_dims > 8:
                raise r.damaged(f"the tensor {name} claims {n_dims} dimensions")
            n_elements = 1
            for _ in range(n_dims):
                n_elements *= r.scalar("<Q")
            header.parameter_count += n_elements
            ggml_type, offset = r.scalar("<I"), r.scalar("<Q")
            block, type_size = _TYPE_SIZES.get(ggml_type, (1, 0))
            n_bytes = n_elements // block * type_size
            header.tensors.append((name, n_bytes))
            end = max(end, offset + n_bytes)
        alignment = int(header.metadata.get("general.alignment", 32)) or 32
        pos = f.tell()
        header.data_offset = (pos + alignment - 1) // alignment * alignment
        header.data_size = end
    return header


def _open(path: Path) -> BinaryIO:
    """The file, opened for reading, or GGUFError saying why it cannot be."""
    try:
        if path.is_dir():
            raise GGUFError(say(Reason.FOLDER, path=path))
        return path.open("rb")
    except FileNotFoundError as exc:
        raise GGUFError(say(Reason.MISSING, path=path)) from exc
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise GGUFError(say(Reason.UNREADABLE, path=path, error=reason)) from exc


def check_gguf(path: Path) -> GGUFHeader:
    """The header of a file that is safe to load, or GGUFError saying what is wrong."""
    header = read_header(path)
    if header.tensor_count == 0:
        raise GGUFError(say(Reason.NO_WEIGHTS, file=path.name))
    needed = header.data_offset + header.data_size
    if header.file_size < needed:
        raise GGUFError(say(Reason.INCOMPLETE, file=path.name, have=_size(header.file_size),
                            need=_size(needed)))
    return header


def _size(n: int) -> str:
    """Bytes as people read them, precise enough to show a file is short."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n} bytes"


# Architectures that only make embeddings (encoders); other models are embedding models
# when their GGUF names a pooling (converted as sentence embedders, e.g. Qwen3-Embedding).
_ENCODERS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3",
             "modern-bert", "neo-bert", "t5encoder"}


def is_embedding_model(metadata: dict[str, Any], architecture: str) -> bool:
    """Whether a GGUF is a text-embedding model rather than one to chat with."""
    if architecture in _ENCODERS or f"{architecture}.pooling_type" in metadata:
        return True
    name = str(metadata.get("general.name") or "").lower()
    return "embedding" in name or "embed-" in name
