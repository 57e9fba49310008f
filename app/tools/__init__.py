"""Tools the model may call: gpt-oss's built-in ``python``, the user's documents, MCP
servers' tools and (when the user switches it on) web search. Plain Python, no Qt.

:mod:`app.tools.base` is the contract between the tools and the conversation session,
which runs the model's calls (:mod:`app.session`).
"""
