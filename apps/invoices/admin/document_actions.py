"""Document actions on the invoice admin (PDF/Factur-X download, send by e-mail); the
InvoiceAdmin of invoices.py inherits this mixin."""


class InvoiceDocumentActionsMixin:
    pass
