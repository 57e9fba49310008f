"""Qt adapters of domain objects: the engine thread, background tasks, downloads, export
and import, the model in use, the sidebar's history.
"""
