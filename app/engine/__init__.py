"""The engine: llama.cpp in a worker process, and the client the app talks to.

Nothing here imports PySide6; only :mod:`app.engine.worker` imports llama_cpp, and only
inside the worker process.
"""
