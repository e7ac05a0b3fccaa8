"""An assignment's progress, summarised from its control points and kept by the database.

Three columns of :class:`~koordinator.control.models.Assignment` say where its points stand:

- ``next_due``: the earliest due date of a point still owed or awaiting review (not accepted,
  not closed); empty when there is none;
- ``owed_due``: the earliest due date of a point the executor still owes (open or returned):
  the assignment is overdue when it is before today, so *overdue* itself is still derived from
  the calendar in the query and cannot go stale;
- ``progress``: ``returned`` if a report was returned, else ``submitted`` if one awaits review,
  else ``open`` if a point is still pending, else ``accepted``.

Before these columns the register computed the same from four correlated subqueries per
assignment on every request, for every assignment a user sees (the tabs count them all).

Triggers on the points' table refresh the summary of every assignment whose points a statement
inserted, changed or deleted, whatever wrote them: the services, the admin, a bulk update,
the scale generator, a fix made by hand in SQL. The application never writes the columns
(``Assignment.save`` leaves them out). Migration ``control/0002`` installs the triggers from
the SQL here and fills the columns; a change to the rule needs a new migration that calls
:func:`install` again.
"""

# Every statement here is fixed text built from the constants below: no input reaches it.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

#: The columns the triggers keep; ``Assignment.save`` never writes them.
COLUMNS = ("next_due", "owed_due", "progress")

_PENDING = "p.state NOT IN ('accepted', 'closed')"
_OWED = "p.state IN ('open', 'returned')"

# One pass over the assignment's points (by the assignment_id index alone): the planner cannot
# turn it into a scan of the states' index, as it did with one subquery per column while the
# scale generator's single transaction left the tables without statistics.
_SET = f"""(next_due, owed_due, progress) = (
    SELECT
        MIN(CASE WHEN {_PENDING} THEN p.due_on END),
        MIN(CASE WHEN {_OWED} THEN p.due_on END),
        CASE
            WHEN COUNT(CASE WHEN p.state = 'returned' THEN 1 END) > 0 THEN 'returned'
            WHEN COUNT(CASE WHEN p.state = 'submitted' THEN 1 END) > 0 THEN 'submitted'
            WHEN COUNT(CASE WHEN {_PENDING} THEN 1 END) > 0 THEN 'open'
            ELSE 'accepted'
        END
    FROM control_controlpoint p
    WHERE p.assignment_id = control_assignment.id
)"""

#: Every assignment's summary recomputed (the migration's fill; ``manage.py refresh_progress``).
REFRESH_ALL = f"UPDATE control_assignment SET {_SET}"

# PostgreSQL: one statement-level trigger per event, reading the statement's changed rows
# from its transition tables (a COPY of a million points refreshes each assignment once per
# batch, not once per row). Transition tables allow one event per trigger.
_PG_EVENTS = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_points", "new_points"),
    "updated": (
        "UPDATE",
        "REFERENCING OLD TABLE AS old_points NEW TABLE AS new_points",
        "new_points UNION SELECT assignment_id FROM old_points",
    ),
    "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_points", "old_points"),
}

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION control_progress_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$ UPDATE control_assignment SET {_SET}
    WHERE control_assignment.id IN (SELECT DISTINCT unnest(ids)) $$""",
    *(
        statement
        for name, (event, referencing, source) in _PG_EVENTS.items()
        for statement in (
            f"""CREATE OR REPLACE FUNCTION control_point_{name}() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
                PERFORM control_progress_refresh(ARRAY(SELECT assignment_id FROM {source}));
                RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS control_point_{name} ON control_controlpoint",
            f"""CREATE TRIGGER control_point_{name} AFTER {event} ON control_controlpoint
            {referencing} FOR EACH STATEMENT EXECUTE FUNCTION control_point_{name}()""",
        )
    ),
]

_PG_UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS control_point_{name} ON control_controlpoint"
        for name in _PG_EVENTS
    ),
    *(f"DROP FUNCTION IF EXISTS control_point_{name}()" for name in _PG_EVENTS),
    "DROP FUNCTION IF EXISTS control_progress_refresh(bigint[])",
]

# SQLite (the embedded default): row-level triggers, the only kind it has.
_SQLITE_EVENTS = {
    "inserted": ("INSERT", "NEW.assignment_id"),
    "updated": ("UPDATE OF state, due_on, assignment_id", "NEW.assignment_id, OLD.assignment_id"),
    "deleted": ("DELETE", "OLD.assignment_id"),
}

_SQLITE_INSTALL = [
    statement
    for name, (event, ids) in _SQLITE_EVENTS.items()
    for statement in (
        f"DROP TRIGGER IF EXISTS control_point_{name}",
        f"""CREATE TRIGGER control_point_{name} AFTER {event} ON control_controlpoint
        BEGIN UPDATE control_assignment SET {_SET} WHERE control_assignment.id IN ({ids}); END""",
    )
]

_SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS control_point_{name}" for name in _SQLITE_EVENTS]


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _PG_INSTALL if install else _PG_UNINSTALL
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_UNINSTALL
    raise NotImplementedError(f"Нет триггеров хода исполнения для {connection.vendor}.")


def install(apps: Any, schema_editor: Any) -> None:
    """Install (or replace) the triggers and fill every assignment's summary."""
    for statement in _statements(schema_editor.connection, install=True):
        schema_editor.execute(statement)
    schema_editor.execute(REFRESH_ALL)


def uninstall(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection, install=False):
        schema_editor.execute(statement)
