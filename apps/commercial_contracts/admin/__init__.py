"""Admin of commercial contracts (package: the contract pages and their action pages)."""

from .contracts import CommercialContractAdmin, CommercialContractVersionInline

__all__ = ["CommercialContractAdmin", "CommercialContractVersionInline"]
