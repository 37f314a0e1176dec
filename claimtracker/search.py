"""Full-text search snippets shared by every list: PostgreSQL marks matches, we escape around the marks."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# ts_headline marks matches with these private-use characters, which scraped text never contains.
MARK_START, MARK_END = "\ue000", "\ue001"


def highlighted(snippet: str) -> SafeString:
    """Scraped text escaped, then our own marks turned into <mark> tags."""
    return mark_safe(escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
