"""Admin of the activity app: one module per part."""

from . import expenses, reports  # noqa: F401
