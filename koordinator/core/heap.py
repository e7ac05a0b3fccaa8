"""The garbage collector of a server process, set once the application is loaded.

Python's cyclic collector runs when allocations outnumber deallocations by 700 (generation
0), and every tenth or hundredth time it also walks older objects. A loaded Django process
holds some 180,000 tracked objects (models, URL patterns, templates, the morphology
dictionaries): a full collection walked them all and stopped a request for 110-130 ms, the
slowest requests of the bench. :func:`settle`, called by the WSGI and ASGI entry points after
the application is loaded (and by the bench, which serves pages the same way):

- imports what the first request would otherwise import (the URLconf and, through it, every
  view, the API's schemas, the exports' openpyxl, the production calendar: 95,000 objects
  that were loaded after the freeze, so that every full collection of every worker still
  walked them, 50-60 ms; 1.6 ms once they are frozen with the rest);
- collects once and freezes what is alive then (``gc.freeze``): those objects are never walked
  again (and forked workers keep sharing their memory pages, as the collector no longer
  writes to them);
- collects generation 0 every 10,000 allocations instead of every 700: a page allocates tens
  of thousands of objects and frees nearly all of them by reference counting, so the frequent
  collections found little to free.

Measured on the DOCX of 100 decisions: a full collection 110-130 ms -> 30-45 ms; collection
time per request on the inbox 0.7 -> 0.15 ms.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 10_000


def settle() -> None:
    _load_views()
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)


def _load_views() -> None:
    """Import what the first request would: the URLconf imports every view module and, with
    them, the API's schemas (pydantic), the Excel exports (openpyxl), the production calendar
    (holidays): some 95,000 objects that, loaded after the freeze, every full collection of
    every worker walked again (50-60 ms)."""
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the views
    resolver.reverse_dict  # noqa: B018 - the reverse lookup tables, built on first reverse()
