"""Activity reports (CRA) and expense claims: one module each."""

from .expenses import *  # noqa: F403
from .reports import *  # noqa: F403
