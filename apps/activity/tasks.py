"""Celery tasks of the activity app (autodiscovered). Thin, named, taking ids, calling one
service each (DESIGN.md §3.8).

Activity reports need no task: the approval e-mail is sent after commit by the submit
service (its link holds a secret token that must not travel through the broker), and a
link's expiry is checked when it is used, not by a job. Expense-claim tasks, if any, follow
below.
"""
