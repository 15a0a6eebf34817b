"""The enforcement world (certified officers and the catalogue) for the cases that challenge an enforcement
decision."""

from enforcement.tests.conftest import enf  # noqa: F401
