"""Load the demo data set, idempotently: running it twice changes nothing.

It orchestrates each app's own `demo.py` seeders (the only place a command reaches across
apps) in dependency order, in one transaction, and prints the demo logins.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "demo-portage-2026"
DEMO_USERS = [
    ("staff", "staff@demo.portage.test", "Sophie", "Martin"),
    ("finance", "finance@demo.portage.test", "Fabrice", "Lefèvre"),
]


class Command(BaseCommand):
    help = "Load demo data (company, users, consultants, clients, contracts, activity). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password of the demo users.")

    def handle(self, *args, **options):
        from apps.accounts.models import User
        from apps.accounts.roles import roles_sync
        from apps.accounts.services import user_create
        from apps.activity.demo_expenses import seed_expense_claims
        from apps.activity.demo_reports import seed_activity_reports
        from apps.clients.demo import seed_clients
        from apps.commercial_contracts.demo import seed_commercial_contracts
        from apps.compliance.services import activity_categories_load
        from apps.consultants.demo import seed_consultants
        from apps.core.demo import seed_company_profile
        from apps.employment_contracts.demo import seed_employment_contracts
        from apps.invoices.demo import seed_invoices
        from apps.invoices.demo_payments import seed_payments
        from apps.invoices.models import Invoice, InvoiceStatus, Payment
        from apps.ledger.demo import seed_ledger
        from apps.payroll.demo import seed_payroll
        from apps.payslips.models import Payslip

        password = options["password"]
        with transaction.atomic():
            roles_sync()
            company = seed_company_profile()
            for role, email, first_name, last_name in DEMO_USERS:
                if not User.objects.filter(email=email).exists():
                    user_create(
                        email=email,
                        role=role,
                        first_name=first_name,
                        last_name=last_name,
                        password=password,
                    )
            if not User.objects.filter(email="admin@demo.portage.test").exists():
                User.objects.create_superuser(
                    "admin@demo.portage.test", password, first_name="Admin", last_name="Demo"
                )
            consultants = seed_consultants(count=20, consultant_password=password)
            clients = seed_clients(count=10)
            seed_ledger()
            activity_categories_load()
            missions = seed_commercial_contracts()
            employment = seed_employment_contracts()
            reports = seed_activity_reports()
            expense_claims = seed_expense_claims()
            seed_invoices()
            seed_payments()
            seed_payroll()
            issued_documents = Invoice.objects.exclude(status=InvoiceStatus.DRAFT).count()
            payments = Payment.objects.count()
            payslips = Payslip.objects.count()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {company.legal_name}, {len(consultants)} consultants, "
                f"{len(clients)} client companies, {len(missions)} commercial contracts, "
                f"{len(employment)} employment contracts, {len(reports)} activity reports, "
                f"{len(expense_claims)} expense claims, {issued_documents} issued invoices and credit "
                f"notes, {payments} payments, {payslips} payslips."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {password}):")
        self.stdout.write("  staff       staff@demo.portage.test       -> /admin/")
        self.stdout.write("  finance     finance@demo.portage.test     -> /admin/")
        self.stdout.write("  consultant  consultant@demo.portage.test  -> /portal/")
        self.stdout.write("  superuser   admin@demo.portage.test       -> /admin/")
