"""Documents: attach files to a conversation, index them, and give the model what it
needs to answer with citations.

Plain Python (no Qt, no llama_cpp). The chat window uses three things:

- :class:`DocumentIndex` to attach files (``attach_file``), index them with progress
  and cancel (``index``), embed them when an embedder exists (``embed``), list and
  remove attachments (``documents``, ``detach``), and resume after a restart
  (``unfinished``);
- :class:`Retriever` to turn a question into a :class:`Context` (``context``);
- :class:`Context` to build the messages and instructions sent to the engine, and to
  list the sources an answer cites.
"""

from app.documents.context import DOCUMENT_RULES, Context, Source
from app.documents.errors import DocumentError
from app.documents.extract import open_document, supported_files
from app.documents.index import Document, DocumentIndex, Progress
from app.documents.retrieve import Retriever
from app.documents.vectors import Embedder

__all__ = [
    "DOCUMENT_RULES",
    "Context",
    "Document",
    "DocumentError",
    "DocumentIndex",
    "Embedder",
    "Progress",
    "Retriever",
    "Source",
    "open_document",
    "supported_files",
]
