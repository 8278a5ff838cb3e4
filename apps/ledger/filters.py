"""Query filters of the entry list: ?consultant=12&kind=management_fee&kind=turnover_collected
&entry_date_after=2026-01-01&entry_date_before=2026-01-31."""

import django_filters

from .models import LedgerEntry, LedgerEntryKind


class LedgerEntryFilter(django_filters.FilterSet):
    consultant = django_filters.NumberFilter(field_name="consultant_id")
    kind = django_filters.MultipleChoiceFilter(choices=LedgerEntryKind.choices)
    entry_date = django_filters.DateFromToRangeFilter(field_name="entry_date")

    class Meta:
        model = LedgerEntry
        fields = ["consultant", "kind", "entry_date"]
