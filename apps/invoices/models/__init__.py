"""Invoices and credit notes (documents.py), their e-mail sendings (sending.py), payments
received, their allocation to invoices (lettrage) and bank statement imports (payments.py)."""

from .documents import *  # noqa: F403
from .payments import *  # noqa: F403
from .sending import *  # noqa: F403
