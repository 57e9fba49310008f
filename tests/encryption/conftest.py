"""The release folder's fixture, shared with tests/migration."""

from tests.migration.test_release_folder import folder

__all__ = ["folder"]
