"""User-written text: Markdown rendered to HTML and sanitised before it is stored."""

import re

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK = re.compile(r"https?://|www\.|\[[^\]]*\]\(", re.IGNORECASE)


def render_markdown(text: str, *, page_headings: bool = False) -> str:
    """Safe HTML for a user's Markdown: raw HTML is not rendered, links are http(s)/mailto only.
    Headings start at h3 (the text sits inside a page's sections), or at h2 with
    page_headings, for a text that is the whole page under its title."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"h2"} if page_headings else ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )


def contains_link(text: str) -> bool:
    return bool(LINK.search(text))
