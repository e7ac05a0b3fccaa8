"""Where a document's Word template comes from, and how it is rendered.

An administrator may replace any template for one body by putting a .docx of the same name
under ``MEDIA_ROOT/docx_templates/body-<pk>/`` (e.g. ``body-7/protocol.docx``), or for every
body under ``MEDIA_ROOT/docx_templates/``; otherwise the template committed in
``docx_templates/`` is used. Every document goes through :func:`template_path`, so the rule
is the same for the composition, the protocol, the agenda and the extracts.

How a template is rendered is in :mod:`koordinator.documents.rendering`.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from koordinator.bodies.models import Body

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


# Control characters but the tab and the line break (carriage returns are line breaks by then).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]+")


def clean_text(text: str) -> str:
    """User text made safe for docxtpl: control characters out, and each line break starts a
    new paragraph with the same formatting (docxtpl turns ``\\a`` into a paragraph break)."""
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\a".join(line for line in map(str.strip, lines) if line)
