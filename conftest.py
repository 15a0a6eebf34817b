"""Fixtures shared by every app's tests (the small world of core/tests/fixtures.py)."""

pytest_plugins = ["core.tests.fixtures", "core.tests.browser"]
