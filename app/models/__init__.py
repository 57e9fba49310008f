"""Models: the catalog Cove knows, downloads from the Hugging Face Hub, and the local
library of GGUF files. Plain Python (no Qt): the UI adapts it, the CLI uses it directly."""
