"""The database session store, with its one read per request compiled once per process.

Every signed-in request reads its session row. Django's store builds and compiles that query
each time (0.4 ms of Python for a 0.2 ms statement); this store runs the same statement from
``Compiled``. Writing, creating and deleting sessions are Django's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from koordinator.core.compiled import Compiled

_current = Compiled(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    key=str,
    now=dt.datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = _current.first(key=key, now=timezone.now()) if key else None
        if found is None:
            self._session_key = None
        return found
