"""Input and output serializers of the invoices API (separate, DESIGN §3.9)."""
