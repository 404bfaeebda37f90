"""The pages of an e-learning module: Markdown made into HTML that is safe to show.

Authors write Markdown; whatever HTML they paste in is sanitised by nh3, so a page cannot run a
script in the browser of the employee reading it. Images are the module's own, written
`![what it shows](image:12)` with the number the authoring page gives: a page never loads an
image from elsewhere, which would tell another server who reads the course and when.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

IMAGE_REFERENCE = re.compile(r"image:(\d+)")
# The page's title is its h1: Markdown headings start one level below, for a sound outline.
HEADING = re.compile(r"<(/?)h([1-5])\b")


def render(body: str, image_url: Callable[[int], str | None]) -> SafeString:
    """The page body as safe HTML. `image_url` gives the address of one of the module's images
    by id, or None for an id that is not the module's (the image is then left out)."""
    html = markdown_lib.markdown(body, extensions=["sane_lists", "tables"])
    html = HEADING.sub(lambda match: f"<{match[1]}h{int(match[2]) + 1}", html)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("src", "href") and value.startswith("image:"):
            reference = IMAGE_REFERENCE.fullmatch(value)
            if tag != "img" or reference is None:
                return None
            return image_url(int(reference[1]))
        if tag == "img" and attribute == "src":
            return None
        return value

    cleaned = nh3.clean(
        html,
        url_schemes={"http", "https", "mailto", "image"},
        attribute_filter=keep,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
