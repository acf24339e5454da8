"""Markdown text summaries to safe HTML, server side, as TensorBoard's text plugin shows them:
the one place that decides what HTML a logged text may become (every page showing texts uses it).

markdown-it-py parses CommonMark plus tables and strikethrough, with raw HTML off (a
``<script>`` in a text shows as text); nh3 (the Ammonia sanitizer) then keeps only the tags
and attributes below, drops event attributes, and allows only http, https and mailto links,
so nothing a text says can run in the page, whatever the parser lets through. Images are
not kept: the dashboard loads nothing from off the machine. A tensor of strings (rank 1 or
2, as TensorBoard's text plugin takes them) becomes a table whose cells are rendered each.
"""

from markdown_it import MarkdownIt
import nh3

from dashboard.web.lru import LRU

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del",
        "code", "pre", "blockquote", "ul", "ol", "li", "a",
        "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"},
              "code": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _clean(html):
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow",
                     filter_style_properties={"text-align"})


# Rendering costs milliseconds a text and a text never changes, so each HTML is kept by its
# text: a page that polls or reopens a run with 1,000 texts renders them once.
CACHE_BYTES = 32 * 1024 * 1024
RENDERED = LRU(CACHE_BYTES, weigh=lambda pair: len(pair[0]) + len(pair[1]))


def markdown_html(text):
    """One markdown text as sanitized HTML."""
    if not isinstance(text, str):
        raise TypeError(f"markdown text must be a str, got {type(text).__name__}")
    found = RENDERED.get(text)
    if found is None:
        found = RENDERED.put(text, (text, _clean(_PARSER.render(text))))
    return found[1]


def _cell(cell, i, j):
    if isinstance(cell, bytes):
        return cell.decode("utf-8", "replace")
    if not isinstance(cell, str):
        raise TypeError(f"text table cell [{i}][{j}] must be a str, got {type(cell).__name__}")
    return cell


def _rows(value):
    """A rank 1 or 2 sequence of strings as rows of cells (rank 1: one cell per row)."""
    rows = value.tolist() if hasattr(value, "tolist") else list(value)
    return [[_cell(cell, i, j) for j, cell in enumerate(row if isinstance(row, (list, tuple)) else [row])]
            for i, row in enumerate(rows)]


def text_html(value):
    """A text summary's value (a str, or a rank 1 or 2 array or list of str) as sanitized HTML."""
    if isinstance(value, str):
        return markdown_html(value)
    if isinstance(value, bytes):
        return markdown_html(value.decode("utf-8", "replace"))
    ndim = getattr(value, "ndim", None)
    if ndim == 0:
        return text_html(value.item())
    if ndim is not None and ndim > 2:
        raise ValueError(f"a text tensor has rank 1 or 2 to show as a table, got rank {ndim}")
    rows = _rows(value)
    body = "".join("<tr>" + "".join(f"<td>{markdown_html(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return _clean(f'<table><tbody>{body}</tbody></table>')
