"""Where a document's Word template comes from, and how it is rendered.

An administrator may replace any template for one body by putting a .docx of the same name
under ``MEDIA_ROOT/docx_templates/body-<pk>/`` (e.g. ``body-7/protocol.docx``), or for every
body under ``MEDIA_ROOT/docx_templates/``; otherwise the template committed in
``docx_templates/`` is used. Every document goes through :func:`template_path`, so the rule
is the same for the composition, the protocol, the agenda and the extracts.

Templates receive plain strings, booleans and lists only (never model instances) and are
rendered in a Jinja sandbox with autoescaping: a replaced template cannot reach the database,
and an ampersand in a name cannot break the XML.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from docxtpl import DocxTemplate
from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment

from koordinator.bodies.models import Body

T = TypeVar("T")

BUILTIN_DIR = Path(__file__).resolve().parent / "docx_templates"
OVERRIDE_DIRNAME = "docx_templates"


def override_dir(body: Body | None = None) -> Path:
    """The folder an administrator puts replacement templates in (for ``body``, or for all)."""
    root = Path(settings.MEDIA_ROOT) / OVERRIDE_DIRNAME
    return root / f"body-{body.pk}" if body is not None else root


def template_path(name: str, body: Body | None = None) -> Path:
    """The template ``name`` («protocol.docx») to use for ``body``: the body's own, else the
    installation's, else the one shipped with Koordinator."""
    if "/" in name or "\\" in name or not name.endswith(".docx"):
        raise ValueError(f"Недопустимое имя шаблона: {name!r}")
    candidates = [override_dir(body) / name] if body is not None else []
    candidates += [override_dir() / name, BUILTIN_DIR / name]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(f"Шаблон документа {name} не найден.")


def clean_text(text: str) -> str:
    """User text made safe for docxtpl: control characters out, and each line break starts a
    new paragraph with the same formatting (docxtpl turns ``\\a`` into a paragraph break)."""
    lines = [
        "".join(ch for ch in line if ch == "\t" or ord(ch) >= 32).strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return "\a".join(line for line in lines if line)


class _KeptBySource(Generic[T]):
    """The last ``keep`` results of a pure function of a template's source text: the same
    source gives the same result, and a replaced Word template has another source."""

    def __init__(self, keep: int = 32) -> None:
        self._keep = keep
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, source: str, make: Callable[[], T]) -> T:
        with self._lock:
            kept = self._kept.get(source)
            if kept is not None:
                self._kept.move_to_end(source)
                return kept
        made = make()
        with self._lock:
            self._kept[source] = made
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)
        return made


class _CompiledOnce(SandboxedEnvironment):
    """docxtpl hands each part of the document (body, headers, footers) to ``from_string`` on
    every render, and compiling the XML of a protocol's body took about a fifth of the DOCX's
    time. The same source compiles to the same template, so the last compiled ones are kept
    by their source text."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: _KeptBySource[Template] = _KeptBySource()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compile_ = super().from_string
        return self._compiled.get(source, lambda: compile_(source))


class _Template(DocxTemplate):
    """docxtpl also cleans the part's XML for Jinja (``patch_xml``: some thirty regular
    expressions over the whole body) on every render: 4 ms of the protocol of 100 decisions.
    It is a function of the XML alone, so its results are kept by source as well."""

    def patch_xml(self, src_xml: str) -> str:
        return _PATCHED.get(src_xml, lambda: str(super(_Template, self).patch_xml(src_xml)))


_ENVIRONMENT = _CompiledOnce()
_PATCHED: _KeptBySource[str] = _KeptBySource()


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    doc = _Template(str(template))
    doc.render(context, jinja_env=_ENVIRONMENT, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
