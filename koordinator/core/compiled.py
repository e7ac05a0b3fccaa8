"""Querysets compiled to SQL once per process and run again with new parameter values.

Django builds and compiles a queryset's SQL anew each time it is evaluated. For the queries
every page runs (the session, the signed-in user, the object the page is about) that is 0.3 to
0.6 ms of Python each, as much as the statement itself takes on the database. ``Compiled``
keeps the compiled statement and only puts the new values into its parameters:

    _meeting = Compiled(lambda pk: Meeting.objects.select_related("presiding").filter(pk=pk),
                        pk=int)
    rows = list(_meeting(pk=7))

How it works: the first call (per database alias and *shape*, see below) builds the queryset
with a distinct marker value for each parameter, compiles it, and records where each marker
landed among the statement's parameters. Later calls copy that parameter list with the real
values in those places; rows become model instances or ``values()`` dicts exactly as Django
makes them (the compiled compiler's column map and converters are reused).

Rules for a build function, checked where they can be:

- The SQL must depend on the parameters' values only through the statement's parameters. A
  build that branches on a value (``if insider: qs = qs.filter(...)``) must take that value as
  a *shape* argument: ``Compiled(build, shape=("insider",), pk=int)`` compiles once per
  distinct shape value (they must be hashable; the most recent 128 are kept).
- A parameter is a scalar: ``int``, ``str``, ``datetime.date`` or an aware
  ``datetime.datetime``, never ``None`` (``= NULL`` compiles to ``IS NULL``); or ``Ids``, a
  list of integer ids for an ``IN``, whose length is part of the shape (so a build may branch
  on whether it is empty). A marker that is not found verbatim among the compiled parameters
  (a ``contains`` lookup wraps it in ``%``) is an error at the first call, not a wrong query.
- Optional filters (the register's) go through ``CompiledFamily``: an absent filter is an
  absent argument, and each set of arguments given has a ``Compiled`` of its own.
- The queryset that comes back is evaluated as it is (iterated, ``list()``, ``len()``, its
  ``prefetch_related`` lookups run as usual); chaining anything onto it (``.filter()``,
  ``.get()``, slicing) raises, since the stored SQL would no longer match. Put it in the
  build function instead.
- Nothing outside the arguments may change the SQL: ``timezone.now()`` or today's date inside
  the build function would be frozen at the first call. Pass them as parameters.

``attach`` (a reverse foreign key) and ``attach_many`` (a many-to-many field) put the rows of
a compiled query where ``prefetch_related`` would have put them (``item.materials.all()``
answers from them), so that a page's children are read by one compiled statement keyed on the
parent's own parameter (``item__meeting=pk``) rather than by an ``IN`` list Django builds anew
each time. Asking the relation anything new (``.filter()``) reads it afresh, as Django does.

Each call runs on the calling thread's connection. The plans are kept per process (workers
compile their own on their first requests).

With the setting ``KOORDINATOR_VERIFY_COMPILED`` (on in the test settings) every call also
builds and compiles the queryset the ordinary way and fails if its SQL or parameters differ,
so the whole test suite checks every compiled query on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import ManyToManyField, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

QS = TypeVar("QS", bound=QuerySet[Any, Any], covariant=True)

KINDS = (int, str, dt.date, dt.datetime)
BIGINT = range(-(2**63), 2**63)  # what an integer column holds on both databases
SHAPES_KEPT = 128
_CONVERTERS = "_koordinator_compiled_converters"  # on each connection: (sql, columns) → converters


class CompiledQueryError(TypeError):
    """A compiled query used against its rules (a programming error, not a user's)."""


@dataclass(frozen=True)
class _Plan:
    queryset: QuerySet[Any, Any]
    compiler: SQLCompiler | None  # None: the query can match nothing (an empty list of ids)
    sql: str
    params: tuple[Any, ...]
    slots: dict[tuple[str, int], tuple[int, ...]]  # (parameter, index) → positions in params
    # How rows become instances (``_CompiledRows``), worked out once per database alias.
    layouts: dict[str, _Layout] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Layout:
    model: type[Model]
    start: int
    end: int
    init_list: list[str]
    populators: list[Any]
    annotations: list[tuple[str, int]]
    fields: list[Any]  # the columns' expressions, for their converters
    width: int | None  # the columns to keep of each row (extra select columns are cut)


class _CompiledRows(ModelIterable):
    """``ModelIterable`` for a compiled statement. Django works out on every execution which
    columns belong to which model and builds a populator for each ``select_related`` level,
    then fetches the rows a hundred at a time; here that layout is kept with the plan and the
    rows are fetched at once. The statement still goes through the connection's cursor
    wrapper (query logging, ``execute_wrapper``, error translation are Django's), and each
    row becomes an instance exactly as ``ModelIterable`` makes it (``from_db``, the related
    populators, annotations). Used for plain model querysets only (not ``values()``, not
    ``iterator()``, not a related manager's queryset with known related objects)."""

    def __iter__(self) -> Any:
        if self.chunked_fetch:
            yield from super().__iter__()
            return
        queryset = self.queryset
        query = queryset.query
        assert isinstance(query, _CompiledQuery)
        plan, db = query._plan, queryset.db
        layout = plan.layouts.get(db) or _layout(plan, db)
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, query._params)
            rows: Iterable[Any] = cursor.fetchall()
        if layout.width is not None:
            rows = [row[: layout.width] for row in rows]
        converters, compiler = _converters(connection, plan, layout.fields)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        model, start, end, init_list = layout.model, layout.start, layout.end, layout.init_list
        for row in rows:
            obj = model.from_db(db, init_list, row[start:end])
            for populator in layout.populators:
                populator.populate(row, obj)
            for name, position in layout.annotations:
                setattr(obj, name, row[position])
            yield obj


def _layout(plan: _Plan, db: str) -> _Layout:
    compiler = plan.compiler
    assert compiler is not None and compiler.klass_info is not None
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    layout = _Layout(
        model=klass_info["model"],
        start=start,
        end=end,
        init_list=[f[0].target.attname for f in select[start:end]],
        populators=get_related_populators(klass_info, select, db),  # type: ignore[call-arg,unused-ignore]
        annotations=list(compiler.annotation_col_map.items()),
        fields=[s[0] for s in select[0 : compiler.col_count]],
        width=compiler.col_count if compiler.has_extra_select else None,
    )
    plan.layouts[db] = layout
    return layout


def _converters(connection: Any, plan: _Plan, fields: list[Any]) -> tuple[Any, SQLCompiler]:
    """The columns' converters (datetimes to the current time zone, booleans on SQLite…) and
    a compiler on this connection to apply them. They depend on the statement and the backend
    only, so they are kept per connection (each stays on its own thread)."""
    kept = connection.__dict__.setdefault(_CONVERTERS, {})
    key = (plan.sql, len(fields))
    if key not in kept:
        assert plan.compiler is not None
        compiler = copy.copy(plan.compiler)
        compiler.connection = connection
        kept[key] = (compiler.get_converters(fields), compiler)
    found: tuple[Any, SQLCompiler] = kept[key]
    return found


class _CompiledQuery(Query):
    """The query of a queryset a ``Compiled`` returned: its compiler hands out the stored SQL
    with this call's parameters; any change to it is refused."""

    _plan: _Plan
    _params: tuple[Any, ...]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        plan = self._plan
        assert plan.compiler is not None  # an empty plan makes no _CompiledQuery
        compiler = copy.copy(plan.compiler)
        # Connections belong to threads: run on this thread's, not the compiling thread's.
        connection = compiler.connection = connections[using or plan.queryset.db]
        sql, params = plan.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        # Django asks every column's field and the backend for its converters on every
        # execution (22 columns for the signed-in user): kept per connection (``_converters``).
        compiler.get_converters = lambda expressions: _converters(  # type: ignore[method-assign]
            connection, plan, expressions
        )[0]
        return compiler

    def chain(self, klass: type[Query] | None = None) -> Query:
        raise CompiledQueryError(
            "A compiled queryset cannot be changed; put the change in its build function."
        )

    clone = chain


class _AttachedQuery(Query):
    """The query behind rows put in place by ``attach``. The rows answer ``all()``, ``len()``,
    iteration and indexing; anything that reads the database again (``.filter()`` on the
    relation, ``.iterator()``) reads it as Django's related manager would: the parent's
    related rows, queried afresh."""

    _lookup: str
    _parent: Model

    def _fresh(self) -> Query:
        return self.model._default_manager.filter(**{self._lookup: self._parent}).query  # type: ignore[union-attr]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        return self._fresh().get_compiler(using, connection, elide_empty)

    def chain(self, klass: type[Query] | None = None) -> Query:
        return self._fresh().chain(klass)

    clone = chain


def attach(parents: Sequence[Model], relation: str, children: Iterable[Model]) -> None:
    """Give each parent its children as if ``prefetch_related(relation)`` had read them.

    ``relation`` is a reverse foreign key of the parents' model (``"materials"`` on an agenda
    item); ``children`` are rows of that relation's model, typically a compiled query over all
    the parents at once. Children of no listed parent are dropped; each child knows its parent
    without a query."""
    if not parents:
        return
    rel = type(parents[0])._meta.get_field(relation)
    if not rel.one_to_many:
        raise CompiledQueryError(f"{relation!r} is not a reverse foreign key.")
    fk = rel.field  # type: ignore[union-attr]
    by_parent: dict[Any, list[Model]] = {}
    for child in children:
        by_parent.setdefault(getattr(child, fk.attname), []).append(child)
    for parent in parents:
        rows = by_parent.get(getattr(parent, fk.target_field.attname), [])
        for child in rows:
            fk.set_cached_value(child, parent)
    _put(parents, rel.cache_name, fk.model, fk.name, by_parent, fk.target_field.attname)  # type: ignore[union-attr]


def attach_many(
    parents: Sequence[Model], relation: str, pairs: Iterable[tuple[Any, Model]]
) -> None:
    """``attach`` for a many-to-many field of the parents' model (``"co_executors"`` on a
    decision): ``pairs`` are (parent's pk, related row), typically read from the field's
    through table with the related row joined."""
    if not parents:
        return
    field = type(parents[0])._meta.get_field(relation)
    if not isinstance(field, ManyToManyField):
        raise CompiledQueryError(f"{relation!r} is not a many-to-many field.")
    by_parent: dict[Any, list[Model]] = {}
    for parent_pk, row in pairs:
        by_parent.setdefault(parent_pk, []).append(row)
    lookup = field.related_query_name()
    _put(parents, field.name, field.related_model, lookup, by_parent, "pk")


def attached(parent: Model, relation: str) -> Sequence[Any]:
    """The rows ``attach``/``attach_many`` put on ``parent`` for ``relation``, without building
    the related manager that ``parent.<relation>.all()`` builds on each access (9 us: a
    protocol of 100 decisions asked each decision's co-executors); else that ``all()``."""
    cache = getattr(parent, "_prefetched_objects_cache", {})
    if relation in cache:
        return cache[relation]
    return getattr(parent, relation).all()


def _put(
    parents: Sequence[Model],
    cache_name: str,
    model: type[Model],
    lookup: str,
    by_parent: dict[Any, list[Model]],
    key: str,
) -> None:
    template = _AttachedQuery(model)
    template._lookup = lookup
    for parent in parents:
        # A shallow copy as copy.copy makes, without its trip through __reduce_ex__ and
        # the expression's __getstate__ (a third of the cost of attaching).
        query = _AttachedQuery.__new__(_AttachedQuery)
        query.__dict__ = template.__dict__.copy()
        query._parent = parent
        queryset: QuerySet[Any] = QuerySet(model=model, query=query)
        queryset._result_cache = by_parent.get(getattr(parent, key), [])
        queryset._prefetch_done = True  # type: ignore[attr-defined]
        parent.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


class Ids:
    """The kind of a parameter that is a list of integer ids (``pk__in=ids``). It is read as a
    sorted tuple without repeats; its length is part of the shape (each id is a parameter of
    its own), and an empty list gives an empty queryset without a query, as Django does."""


Leaf = tuple[str, int]  # (parameter, position in an Ids list; 0 for a scalar)


class Compiled(Generic[QS]):
    def __init__(
        self, build: Callable[..., QS], *, shape: Iterable[str] = (), **kinds: type
    ) -> None:
        for name, kind in kinds.items():
            if kind not in KINDS and kind is not Ids:
                raise CompiledQueryError(f"Parameter {name!r}: unsupported type {kind!r}.")
        self._build = build
        self._kinds = kinds
        self._shape = tuple(shape)
        self._plans: dict[tuple[Hashable, ...], _Plan] = {}
        self._lock = threading.Lock()

    def __call__(self, **arguments: Any) -> QS:
        expected = set(self._kinds) | set(self._shape)
        if set(arguments) != expected:
            raise CompiledQueryError(
                f"Expected the arguments {sorted(expected)}, got {sorted(arguments)}."
            )
        values = {name: self._checked(name, arguments[name]) for name in self._kinds}
        shape = tuple(arguments[name] for name in self._shape) + tuple(
            len(values[name]) for name, kind in self._kinds.items() if kind is Ids
        )
        if shape in self._plans:
            plan = self._plans[shape]
        else:
            with self._lock:
                plan = self._plans[shape] if shape in self._plans else self._compile(shape)
        if plan.compiler is None:
            # Nothing can match: no rows, and no compiling on the way to finding that out.
            empty = _fresh(plan.queryset, plan.queryset.query.chain())
            empty.query.set_empty()
            empty._result_cache, empty._prefetch_done = [], True
            return empty
        params = list(plan.params)
        connection = connections[plan.queryset.db]
        for (name, index), positions in plan.slots.items():
            value = values[name][index] if self._kinds[name] is Ids else values[name]
            value = _adapt(connection, value)
            for position in positions:
                params[position] = value
        query = _CompiledQuery.__new__(_CompiledQuery)
        query.__dict__ = plan.queryset.query.__dict__.copy()
        query._plan = plan
        query._params = tuple(params)
        queryset = _fresh(plan.queryset, query)
        if queryset._iterable_class is ModelIterable and not queryset._known_related_objects:
            queryset._iterable_class = _CompiledRows
        if getattr(settings, "KOORDINATOR_VERIFY_COMPILED", False):
            self._verify({**arguments, **values}, query._params, plan)
        return queryset

    def first(self, **arguments: Any) -> Any:
        """The first row for these arguments, or None (for a query of one row at most: by
        primary key, by a one-to-one link)."""
        return next(iter(self(**arguments)), None)

    def _checked(self, name: str, value: Any) -> Any:
        kind = self._kinds[name]
        if kind is Ids:
            if isinstance(value, str | bytes) or not isinstance(value, Iterable):
                raise CompiledQueryError(f"Parameter {name!r}: {value!r} is not a list of ids.")
            for one in value:
                if type(one) is not int or one not in BIGINT:
                    raise CompiledQueryError(f"Parameter {name!r}: {one!r} is not an id.")
            return tuple(sorted(set(value)))
        # bool is an int and datetime a date, but neither is what the caller declared.
        if type(value) is bool or (kind is dt.date and isinstance(value, dt.datetime)):
            raise CompiledQueryError(f"Parameter {name!r}: {value!r} is not {kind.__name__}.")
        if not isinstance(value, kind):
            raise CompiledQueryError(f"Parameter {name!r}: {value!r} is not {kind.__name__}.")
        if kind is int and value not in BIGINT:
            raise CompiledQueryError(f"Parameter {name!r}: {value!r} is out of range.")
        if isinstance(value, dt.datetime) and value.utcoffset() is None:
            raise CompiledQueryError(f"Parameter {name!r}: {value!r} has no time zone.")
        return value

    def _compile(self, shape: tuple[Hashable, ...]) -> _Plan:
        shaped = dict(zip(self._shape, shape, strict=False))
        lengths = iter(shape[len(self._shape) :])
        leaves: dict[Leaf, Any] = {}
        arguments: dict[str, Any] = {}
        for name, kind in self._kinds.items():
            if kind is Ids:
                ids = [_marker(int) for _ in range(int(next(lengths)))]  # type: ignore[call-overload]
                leaves.update({(name, i): marker for i, marker in enumerate(ids)})
                arguments[name] = ids
            else:
                arguments[name] = leaves[(name, 0)] = _marker(kind)
        queryset = self._build(**shaped, **arguments)
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            plan = _Plan(queryset, None, "", (), {})
        else:
            slots = _slots(connections[queryset.db], leaves, sql, params)
            plan = _Plan(queryset, compiler, sql, tuple(params), slots)
        if len(self._plans) >= SHAPES_KEPT:
            self._plans.pop(next(iter(self._plans)))
        self._plans[shape] = plan
        return plan

    def _verify(self, arguments: dict[str, Any], params: tuple[Any, ...], plan: _Plan) -> None:
        queryset = self._build(**arguments)
        sql, expected = queryset.query.get_compiler(queryset.db).as_sql()
        if sql != plan.sql or tuple(expected) != params:
            raise CompiledQueryError(
                f"The compiled query differs from the built one:\n{plan.sql}\n{params}\n"
                f"{sql}\n{tuple(expected)}"
            )


class CompiledFamily(Generic[QS]):
    """``Compiled`` for a build function whose parameters are optional (the filters of a
    list): one ``Compiled`` per set of parameters given, an absent filter being an absent
    argument. ``kinds`` names every parameter the build may take."""

    def __init__(
        self, build: Callable[..., QS], *, shape: Iterable[str] = (), **kinds: type
    ) -> None:
        self._build = build
        self._shape = tuple(shape)
        self._kinds = kinds
        self._members: dict[frozenset[str], Compiled[QS]] = {}

    def __call__(self, **arguments: Any) -> QS:
        names = frozenset(arguments).difference(self._shape)
        member = self._members.get(names)
        if member is None:
            unknown = names - set(self._kinds)
            if unknown:
                raise CompiledQueryError(f"Unknown parameters {sorted(unknown)}.")
            kinds = {name: self._kinds[name] for name in names}
            member = self._members[names] = Compiled(self._build, shape=self._shape, **kinds)
        return member(**arguments)


def _fresh(base: QuerySet[Any, Any], query: Query) -> Any:
    """A new queryset like ``base`` (never evaluated: it is a plan's) on ``query``: what
    ``QuerySet._clone`` makes, without cloning the query it would then replace."""
    queryset = base.__class__.__new__(base.__class__)
    queryset.__dict__ = {
        **base.__dict__,
        "_query": query,
        "_hints": {**base._hints},  # type: ignore[attr-defined]
        "_known_related_objects": {**base._known_related_objects},  # type: ignore[attr-defined]
    }
    return queryset


def _slots(
    connection: Any, leaves: dict[Leaf, Any], sql: str, params: Sequence[Any]
) -> dict[Leaf, tuple[int, ...]]:
    """Where each marker landed among the compiled statement's parameters."""
    slots: dict[Leaf, tuple[int, ...]] = {}
    for leaf, marker in leaves.items():
        adapted = _adapt(connection, marker)
        found = tuple(i for i, p in enumerate(params) if type(p) is type(adapted) and p == adapted)
        if not found or str(adapted) in sql:
            raise CompiledQueryError(
                f"Parameter {leaf[0]!r} is not a plain parameter of the compiled SQL."
            )
        slots[leaf] = found
    return slots


_serial = itertools.count()


def _marker(kind: type) -> Any:
    """A value of ``kind`` no real call passes, distinct for every marker ever made."""
    n = next(_serial)
    if kind is int:
        return -(10**15) - n
    if kind is str:
        return f"\u2042compiled-parameter-{n}\u2042"
    if kind is dt.datetime:
        return dt.datetime(2, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
    return dt.date(2, 1, 1) + dt.timedelta(days=n % 300_000)


def _adapt(connection: Any, value: Any) -> Any:
    """The value as Django hands it to the driver (SQLite keeps dates as text)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value
