"""What this computer has, and how a model should run on it.

- ``detect``: OS, CPU, RAM and GPUs, read from the OS in a few milliseconds (GUI side).
- ``llama_devices``: what the installed llama.cpp registered (worker side only).
- ``facts``: the numbers the planner needs, from a GGUF header and from the above.
- ``plan``: a pure function from those facts to load settings and one plain sentence.
- ``overrides``: llama.cpp tensor buffer-type overrides, for MoE experts kept in RAM
  (worker side only).

Nothing here imports Qt, and nothing the GUI process imports loads llama.cpp: the
worker-side functions take the ``llama_cpp`` module as an argument.
"""
