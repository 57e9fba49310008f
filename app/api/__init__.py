"""The local OpenAI-compatible API: other programs on this computer use Cove's model.

Off by default. :mod:`app.api.server` is the HTTP side (Starlette on uvicorn),
:mod:`app.api.gate` the one door to the loaded model that the window and ``cove serve``
each provide, :mod:`app.api.cli` the headless ``cove serve``.
"""
