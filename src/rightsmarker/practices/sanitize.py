"""HTML in practice texts: plain fields lose every tag, rich fields keep a small allow-list.

Plain fields (titles, summaries, names) are stored as plain text: tags are dropped with their
script or style content, entities decoded; templates escape them on output. Rich fields
(description, results) keep ``p br ul ol li strong em b i a blockquote h3 h4`` and ``a href``
(http, https, mailto) through nh3 (the Rust ammonia sanitiser); without nh3 they are reduced to
plain text and HTML-escaped, which is safe but loses the formatting.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

RICH_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote", "h3", "h4"}
RICH_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_SPACE = re.compile(r"[ \t\r\f\v]+")
_DROP_CONTENT = {"script", "style", "template", "iframe", "object", "noscript"}
_BLOCK = {"p", "br", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}

try:  # pragma: no cover - exercised when nh3 is installed
    import nh3
except ImportError:  # pragma: no cover
    nh3 = None


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP_CONTENT:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROP_CONTENT and self.skip:
            self.skip -= 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def clean_text(value: str) -> str:
    """Plain text: tags removed (script/style content too), entities decoded, spaces tidied."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return _tidy(value)
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return _tidy("".join(parser.parts))


def clean_rich(value: str) -> str:
    """Sanitised HTML with the allow-list above (or escaped plain text without nh3)."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return _tidy(value)
    if nh3 is None:
        return html.escape(clean_text(value), quote=False)
    cleaned = nh3.clean(value, tags=RICH_TAGS, attributes=RICH_ATTRIBUTES,
                        url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")
    return cleaned.strip()


def _tidy(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n"))
    out, blank = [], False
    for line in lines:
        if line:
            out.append(line)
            blank = False
        elif out and not blank:
            out.append("")
            blank = True
    return "\n".join(out).strip()
