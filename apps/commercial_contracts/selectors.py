"""Reads on commercial contracts, scoped to who asks (DESIGN.md §3.10), and the figures the
compliance checks need (cumulated duration with a client, share of turnover)."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, Q, QuerySet

from apps.accounts.roles import user_is_back_office, user_is_consultant
from apps.compliance.periods import add_months

from .models import CommercialContract, CommercialContractVersion, ContractStatus, PricingKind

Period = tuple[date, date]

# Dependence (client share of turnover) is only meaningful once the consultant has some
# history: contracts-law.md §5 proposes computing it after 6 months of activity.
SHARE_MIN_ACTIVITY_MONTHS = 6


def commercial_contracts_list() -> QuerySet[CommercialContract]:
    """Every contract with what lists and the API show, in a constant number of queries."""
    return CommercialContract.objects.select_related(
        "client", "consultant", "activity_category"
    ).prefetch_related(
        Prefetch("versions", queryset=CommercialContractVersion.objects.order_by("number"))
    )


def commercial_contracts_for_user(user) -> QuerySet[CommercialContract]:
    """Back-office: all; a consultant: the contracts of their own profile; others: none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CommercialContract.objects.none()
    if user_is_back_office(user):
        return commercial_contracts_list()
    if user_is_consultant(user):
        return commercial_contracts_list().filter(consultant__user=user)
    return CommercialContract.objects.none()


def commercial_contracts_active_for_consultant(consultant) -> QuerySet[CommercialContract]:
    """The consultant's contracts in force (signed or active), oldest start first."""
    return (
        commercial_contracts_list()
        .filter(consultant=consultant, status__in=CommercialContract.IN_FORCE)
        .order_by("start_date", "pk")
    )


def commercial_contracts_active_on(on_date: date) -> Q:
    """Filter: contracts binding the parties on `on_date` (signed, active, or ended/terminated
    later than that date) whose prestation period covers it. Drafts are not in force."""
    return Q(start_date__lte=on_date, end_date__gte=on_date) & (
        Q(status__in=CommercialContract.IN_FORCE)
        | Q(status=ContractStatus.ENDED, ended_on__gte=on_date)
        | Q(status=ContractStatus.TERMINATED, terminated_on__gte=on_date)
    )


def _versions(contract: CommercialContract) -> list[CommercialContractVersion]:
    """The versions, from the prefetch when there is one."""
    cache = getattr(contract, "_prefetched_objects_cache", {})
    if "versions" in cache:
        return sorted(cache["versions"], key=lambda version: version.number)
    return list(contract.versions.order_by("number"))


def commercial_contract_versions(contract: CommercialContract) -> list[CommercialContractVersion]:
    """Original terms first, then the amendments in order."""
    return _versions(contract)


def commercial_contract_terms_at(
    *, contract: CommercialContract, on_date: date
) -> CommercialContractVersion | None:
    """The terms in force on `on_date`: the version with the greatest effective_from <= date.

    None before the start of the prestation (no terms are in force yet): callers that want
    the planned terms of a future contract use `commercial_contract_latest_terms`.
    """
    in_force = None
    for version in _versions(contract):
        if version.effective_from <= on_date and (
            in_force is None or version.effective_from > in_force.effective_from
        ):
            in_force = version
    return in_force


def commercial_contract_latest_terms(
    contract: CommercialContract,
) -> CommercialContractVersion | None:
    """The latest version (the last amendment signed, whatever its effective date)."""
    versions = _versions(contract)
    return versions[-1] if versions else None


# --- duration with one client (PR-05) ---------------------------------------------------------


def contract_period(contract: CommercialContract) -> Period | None:
    """The days a contract covers: start to its actual or planned end; None if it was
    terminated before it started (it never ran and never will)."""
    end = contract.effective_end
    if end < contract.start_date:
        return None
    return (contract.start_date, end)


def union_days(periods: Iterable[Period]) -> tuple[int, date | None]:
    """Calendar days covered by the periods (both ends included, overlaps counted once) and
    the first day covered."""
    ordered = sorted(periods)
    if not ordered:
        return 0, None
    total = 0
    current_start, current_end = ordered[0]
    for start, end in ordered[1:]:
        if start <= current_end + timedelta(days=1):
            current_end = max(current_end, end)
            continue
        total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    total += (current_end - current_start).days + 1
    return total, ordered[0][0]


def consultant_client_periods(
    *, consultant, client, exclude_contract: CommercialContract | int | None = None
) -> list[Period]:
    """Periods of every contract of this consultant with this client.

    Counted: every contract in any status (drafts too, so that a planned prestation cannot
    be split into drafts to escape the limit) except those terminated before they started;
    a terminated or ended contract counts up to its termination/end date. Gaps do not reset
    the count (contracts-law.md §6: no reset mechanism exists in L1254-4 II).
    """
    contracts = CommercialContract.objects.filter(consultant=consultant, client=client).only(
        "start_date", "end_date", "status", "ended_on", "terminated_on"
    )
    if exclude_contract is not None:
        exclude_pk = getattr(exclude_contract, "pk", exclude_contract)
        contracts = contracts.exclude(pk=exclude_pk)
    return [period for contract in contracts if (period := contract_period(contract))]


def consultant_client_cumulated_days(
    *,
    consultant,
    client,
    extra_period: Period | None = None,
    exclude_contract: CommercialContract | int | None = None,
) -> tuple[int, date | None]:
    """(calendar days, first start) of all prestations of the consultant with the client,
    including `extra_period` (a contract being created or amended, passed with
    `exclude_contract` so that its stored period is replaced by the new one)."""
    periods = consultant_client_periods(
        consultant=consultant, client=client, exclude_contract=exclude_contract
    )
    if extra_period is not None:
        periods.append(extra_period)
    return union_days(periods)


# --- share of turnover with one client (economic dependence) ----------------------------------


def _version_segments(
    contract: CommercialContract,
) -> list[tuple[CommercialContractVersion, Period]]:
    """Each version with the days it governs, cut at the contract's actual end."""
    period = contract_period(contract)
    if period is None:
        return []
    versions = _versions(contract)
    segments = []
    for index, version in enumerate(versions):
        start = max(version.effective_from, period[0])
        following = versions[index + 1].effective_from if index + 1 < len(versions) else None
        end = period[1] if following is None else min(period[1], following - timedelta(days=1))
        if end >= start:
            segments.append((version, (start, end)))
    return segments


def _estimated_amount(version: CommercialContractVersion, period: Period) -> Decimal:
    """Estimated turnover (excl. VAT) of `version` over `period`, spread evenly over the
    version's own period (price x estimated days, or the fixed price)."""
    days = Decimal((period[1] - period[0]).days + 1)
    total_days = Decimal(version.period_days)
    if version.pricing_kind == PricingKind.FIXED_PRICE:
        whole = Decimal(version.fixed_price or 0)
    else:
        if not version.estimated_days:
            return Decimal("0")
        whole = Decimal(version.daily_rate or 0) * Decimal(version.estimated_days)
    return whole * days / total_days


def consultant_turnover_by_client(*, consultant, start: date, end: date) -> dict[int, Decimal]:
    """{client id: estimated turnover excl. VAT} of the consultant's contracts over the period.

    Estimated from the contracts (daily rate x estimated days, or fixed price, pro rata of
    the days of each version inside the period) because invoices come in a later issue; the
    selector will then switch to invoiced turnover (contracts-law.md §5 speaks of invoiced
    excl. VAT). Contracts counted as in `consultant_client_periods`.
    """
    contracts = (
        CommercialContract.objects.filter(consultant=consultant, start_date__lte=end)
        .exclude(end_date__lt=start)
        .prefetch_related("versions")
    )
    totals: dict[int, Decimal] = {}
    for contract in contracts:
        for version, (seg_start, seg_end) in _version_segments(contract):
            inside = (max(seg_start, start), min(seg_end, end))
            if inside[1] < inside[0]:
                continue
            totals[contract.client_id] = totals.get(
                contract.client_id, Decimal("0")
            ) + _estimated_amount(version, inside)
    return totals


def consultant_client_share_12m(*, consultant, client, on_date: date) -> Decimal | None:
    """Share (0-100 %, 2 decimals) of the consultant's estimated turnover over the 12 months
    ending on `on_date` that comes from `client`.

    None when it is not meaningful: no turnover in the window, or the consultant's first
    prestation started less than SHARE_MIN_ACTIVITY_MONTHS months before `on_date`.
    """
    first_start = (
        CommercialContract.objects.filter(consultant=consultant)
        .exclude(status=ContractStatus.TERMINATED, terminated_on__lt=F("start_date"))
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    if first_start is None or first_start > add_months(on_date, -SHARE_MIN_ACTIVITY_MONTHS):
        return None
    window_start = add_months(on_date, -12) + timedelta(days=1)
    totals = consultant_turnover_by_client(consultant=consultant, start=window_start, end=on_date)
    total = sum(totals.values(), Decimal("0"))
    if total <= 0:
        return None
    share = totals.get(client.pk, Decimal("0")) * Decimal("100") / total
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
