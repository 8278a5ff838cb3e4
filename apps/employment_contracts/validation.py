"""Field-by-field validation of an employment contract (called by EmploymentContract.clean):
dates in order, what a CDI or a CDD must or must not have, trial period, working time.
The limits decided by compliance (PR-12 ... PR-27) are not repeated here."""

from django.utils.translation import gettext_lazy as _

from . import rules

# Choice values of models.EmploymentContract (the model imports this module).
CDI, PRECISE, IMPRECISE, DAYS, HOURS, LEVEL_1 = "cdi", "precise", "imprecise", "days", "hours", 1


def contract_errors(contract) -> dict[str, list]:
    """{field: [messages]} of what is wrong with the contract (empty when valid)."""
    errors: dict[str, list] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if contract.is_cdd:
        _cdd(contract, add)
    elif contract.kind == CDI:
        _cdi(contract, add)
    _trial_period(contract, add)
    _working_time(contract, add)
    if (
        contract.level_1_since
        and contract.start_date
        and contract.classification == LEVEL_1
        and contract.level_1_since > contract.start_date
    ):
        add("level_1_since", _("The level 1 start cannot be after the contract start date."))
    return errors


def _cdd(contract, add) -> None:
    if not (contract.cdd_reason or "").strip():
        add("cdd_reason", _("A CDD needs its reason: the client prestation it is for."))
    if contract.reserve_rate is not None:
        add(
            "reserve_rate",
            _(
                "The financial reserve applies to a CDI only; leave it empty "
                "for a CDD (the end-of-contract indemnity replaces it)."
            ),
        )
    if contract.end_of_contract_indemnity_rate is None:
        add(
            "end_of_contract_indemnity_rate",
            _("A CDD must record its end-of-contract indemnity rate (L1243-8)."),
        )
    if contract.term_type == PRECISE:
        if not contract.initial_end_date:
            add("initial_end_date", _("A CDD with a precise term needs an end date."))
        elif contract.start_date and contract.initial_end_date < contract.start_date:
            add(
                "initial_end_date",
                _("The end date (%(end)s) is before the start date (%(start)s).")
                % {
                    "end": contract.initial_end_date.isoformat(),
                    "start": contract.start_date.isoformat(),
                },
            )
        if contract.minimum_duration_months is not None:
            add(
                "minimum_duration_months",
                _("A minimum duration applies to an imprecise term only."),
            )
    elif contract.term_type == IMPRECISE:
        if contract.initial_end_date:
            add(
                "initial_end_date",
                _(
                    "A CDD with an imprecise term has no end date: give "
                    "its minimum duration instead."
                ),
            )
        if not contract.minimum_duration_months:
            add(
                "minimum_duration_months",
                _("A CDD with an imprecise term needs a minimum duration (L1254-11)."),
            )
        if not (contract.imprecise_term_event or "").strip():
            add(
                "imprecise_term_event",
                _("A CDD with an imprecise term needs the event that ends it (L1254-15 2° d)."),
            )
    else:
        add("term_type", _("Choose whether the CDD has a precise or an imprecise term."))


def _cdi(contract, add) -> None:
    if contract.initial_end_date:
        add("initial_end_date", _("A CDI has no end date."))
    for field in ("term_type", "cdd_reason", "imprecise_term_event"):
        if (getattr(contract, field) or "").strip():
            add(field, _("This field applies to a CDD only; leave it empty for a CDI."))
    if contract.minimum_duration_months is not None:
        add("minimum_duration_months", _("A CDI has no minimum duration."))
    if contract.end_of_contract_indemnity_rate is not None:
        add(
            "end_of_contract_indemnity_rate",
            _("The end-of-contract indemnity applies to a CDD only; leave it empty."),
        )
    if contract.reserve_rate is None:
        add("reserve_rate", _("A CDI must record its financial reserve rate (CCN art. 21.3)."))
    if contract.prospection_extension_end:
        add("prospection_extension_end", _("A CDI cannot be extended for prospection."))


def _trial_period(contract, add) -> None:
    if not contract.trial_period_end or not contract.start_date:
        return
    if contract.trial_period_end < contract.start_date:
        add("trial_period_end", _("The trial period cannot end before the start date."))
        return
    contract_last_day = contract.initial_end_date
    if contract.is_cdd and contract.term_type == IMPRECISE and (contract.minimum_duration_months):
        contract_last_day = rules.last_day_of_period(
            contract.start_date, contract.minimum_duration_months
        )
    maximum = rules.trial_period_last_day(
        kind=contract.kind,
        start=contract.start_date,
        status_cadre=contract.status_cadre,
        contract_last_day=contract_last_day,
    )
    if maximum is not None and contract.trial_period_end > maximum:
        add(
            "trial_period_end",
            _(
                "The trial period may last until %(maximum)s at the latest (%(source)s); "
                "%(given)s is too late."
            )
            % {
                "maximum": maximum.isoformat(),
                "given": contract.trial_period_end.isoformat(),
                "source": rules.trial_period_rule(contract.start_date)["source"],
            },
        )


def _working_time(contract, add) -> None:
    rule = rules.working_time_rule(contract.start_date)
    if contract.working_time_mode == DAYS:
        if not contract.days_per_year:
            add("days_per_year", _("A forfait jours needs its number of days per year."))
        elif contract.days_per_year > rule["forfait_days_cap"]:
            add(
                "days_per_year",
                _("A forfait jours may not exceed %(cap)s days per year (%(source)s).")
                % {"cap": rule["forfait_days_cap"], "source": rule["forfait_source"]},
            )
    elif contract.working_time_mode == HOURS:
        hours = contract.hours_per_week
        if hours is None or hours <= 0:
            add("hours_per_week", _("Give the number of hours per week."))
        elif hours > rule["max_hours_per_week"]:
            add(
                "hours_per_week",
                _("The working week may not exceed %(max)s hours (%(source)s).")
                % {"max": rule["max_hours_per_week"], "source": rule["source"]},
            )
