"""invoice_totals_add_up as |TTC − HT − VAT| < 0.005: the same rule on PostgreSQL (numeric with
two places), and no false refusal on SQLite, which compares decimals as floats."""

from decimal import Decimal

import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("invoices", "0001_invoices_payments_sendings"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="invoice",
            name="invoice_totals_add_up",
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThan(
                    django.db.models.functions.math.Abs(
                        models.F("total_incl_tax")
                        - models.F("total_excl_tax")
                        - models.F("total_vat")
                    ),
                    Decimal("0.005"),
                ),
                name="invoice_totals_add_up",
            ),
        ),
    ]
