"""Where Cove keeps things: the user's own folders from platformdirs.

``COVE_HOME`` moves everything under one folder (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app import APP_NAME


def _root(kind: str) -> Path:
    home = os.environ.get("COVE_HOME")
    if home:
        path = Path(home) / kind
    else:
        finder = {
            "data": platformdirs.user_data_path,
            "config": platformdirs.user_config_path,
            "cache": platformdirs.user_cache_path,
            "logs": platformdirs.user_log_path,
        }[kind]
        path = finder(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _root("data")


def config_dir() -> Path:
    return _root("config")


def cache_dir() -> Path:
    return _root("cache")


def log_dir() -> Path:
    return _root("logs")


def models_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path
