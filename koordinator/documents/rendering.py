"""A Word template rendered into a document: docxtpl's template language, without the work
that changes nothing.

docxtpl renders a document in three steps: it opens the template with python-docx (every part
parsed), renders the body's XML with Jinja, then parses the result into the document and saves
the package (every part serialised and compressed again). For the protocol of 100 decisions
the Jinja rendering took 2 ms of 20; the rest went on the package. Where a template allows it
(:func:`_prepare`), the body goes the same way through docxtpl's own steps (``patch_xml`` to
clean the tags, ``render_xml_part`` to render them and turn line breaks into Word's markup), and
its result is written into a copy of the template's other parts, kept as they were read.

The template must not need what the package round trip does: Jinja outside the body (headers,
footers, footnotes, the document's properties, rendered by docxtpl part by part), tags that
reshape a table (``{%tc``, ``colspan``, ``cellbg``, ``vm``, ``hm``: docxtpl's ``fix_tables``
then recounts the columns) and pictures (``fix_docpr_ids`` renumbers them). Any other template,
such as one an administrator made in Word with a header that names the body, goes through
docxtpl whole. ``test_templating`` checks that both ways give the same document.

Templates receive plain strings, booleans and lists only (never model instances) and are
rendered in a Jinja sandbox with autoescaping: a replaced template cannot reach the database,
and an ampersand in a name cannot break the XML.
"""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from docxtpl import DocxTemplate
from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

T = TypeVar("T")


class _KeptBySource(Generic[T]):
    """The last ``keep`` results of a pure function of a template's source (its text, or the
    bytes of its file): the same source gives the same result, and a replaced Word template
    has another source."""

    def __init__(self, keep: int = 32) -> None:
        self._keep = keep
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, source: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if source in self._kept:
                self._kept.move_to_end(source)
                return self._kept[source]
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

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns the tabs, ``\\a`` (new paragraph), line and page breaks in the rendered
        text into Word's markup by running three nested regular expressions over every
        paragraph and run: 5 ms of the protocol of 100 decisions, where only a paragraph with
        one of those characters changes. The same work, on those paragraphs only."""
        if not _LISTING_CHARACTERS.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: resolve(m[0]) if _LISTING_CHARACTERS.search(m[0]) else m[0], xml
        )


# docxtpl's own pattern for a paragraph, and the characters its resolve_listing rewrites.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_ENVIRONMENT = _CompiledOnce()
_PATCHED: _KeptBySource[str] = _KeptBySource()

# What only docxtpl's whole path renders right (see the module's docstring).
_ANY_TAG = re.compile(rb"\{[{%#]")
_TABLE_TAGS = re.compile(r"\{[{%]-?\s*(?:tc|colspan|cellbg|vm|hm)\b")
_PICTURE = "docPr"
_BODY_START = re.compile(r"<w:body(?:\s[^>]*)?>")
_BODY_END = "</w:body>"


@dataclass(frozen=True)
class _Prepared:
    """A template read once: its body as docxtpl reads it (``get_xml``) and cleans it for
    Jinja, the main part's XML around the body, and every other part in a zip of its own."""

    part: str  # the main part's name in the zip, «word/document.xml»
    body: str
    head: bytes
    tail: bytes
    rest: bytes


def _prepare(data: bytes) -> _Prepared | None:
    """The template ``data`` (a .docx) made ready, or None where it needs docxtpl's whole path."""
    template = _Template(io.BytesIO(data))
    main = template.get_docx().part
    name = main.partname.membername
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if info.filename != name]
        others = [(info, archive.read(info)) for info in infos]
    if any(_ANY_TAG.search(blob) for info, blob in others if info.filename.endswith(".xml")):
        return None
    source = template.get_xml()
    if _TABLE_TAGS.search(source) or _PICTURE in source or _reshaped(template, source):
        return None
    # The main part as python-docx would write it, split around its body. The body keeps the
    # start tag it has there: the namespaces are declared once, on the document.
    whole = etree.tostring(main.element, encoding="UTF-8", standalone=True).decode()
    start, own_start, end = (
        _BODY_START.search(whole),
        _BODY_START.match(source),
        whole.rfind(_BODY_END),
    )
    if start is None or own_start is None or end < start.end():
        return None
    rest = io.BytesIO()
    with zipfile.ZipFile(rest, "w") as out:
        for info, blob in others:
            out.writestr(info, blob)
    return _Prepared(
        part=name,
        body=template.patch_xml(start[0] + source[own_start.end() :]),
        head=whole[: start.start()].encode(),
        tail=whole[end + len(_BODY_END) :].encode(),
        rest=rest.getvalue(),
    )


def _reshaped(template: _Template, body: str) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table of the template as it stands (a
    row whose cells do not fill the table's grid): then it would also change it rendered."""
    return bool(etree.tostring(template.fix_tables(body)) != etree.tostring(etree.fromstring(body)))


_PREPARED: _KeptBySource[_Prepared | None] = _KeptBySource(keep=64)  # bodies may have their own


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    data = template.read_bytes()
    prepared = _PREPARED.get(data, lambda: _prepare(data))
    if prepared is None:
        return _render_whole(template, context)
    body = _Template(str(template)).render_xml_part(prepared.body, None, context, _ENVIRONMENT)
    out = io.BytesIO(prepared.rest)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(prepared.part, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, prepared.head + body.encode() + prepared.tail)
    return out.getvalue()


def _render_whole(template: Path, context: dict[str, Any]) -> bytes:
    """docxtpl's own way: the package opened, rendered part by part, saved."""
    doc = _Template(str(template))
    doc.render(context, jinja_env=_ENVIRONMENT, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
