"""The page body as authors wrote it, cleaned: only the HTML that handbok.core.html_policy allows.

nh3 (the Python binding of the Rust sanitizer ammonia) parses the HTML as a browser would and
writes back only the allowed elements, attributes and URLs, so that no trick of spelling
(entities, mixed case, broken nesting) gets a script through. The lists are those of
core.html_policy, which `handbok check` reads too; what nh3 cannot express (a data: URL only on
an image, the one allowed style value) is the policy's value_allowed, called per attribute.
"""

from __future__ import annotations

import functools

import nh3

from handbok.core import html_policy


@functools.lru_cache(maxsize=16)
def _cleaner(allowed: tuple[str, ...]) -> nh3.Cleaner:
    """One nh3 configuration per html_allow (the build uses one for every page)."""
    policy = html_policy.parse_allow(allowed)

    def value_filter(tag: str, attribute: str, value: str) -> str | None:
        # Called for every allowed attribute after nh3's own URL check; value is entity-decoded.
        return value if html_policy.value_allowed(tag, attribute, value, policy) else None

    return nh3.Cleaner(
        tags=set(policy.tags),
        clean_content_tags=set(policy.clean_content_tags),
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        generic_attribute_prefixes=set(html_policy.GENERIC_PREFIXES),
        attribute_filter=value_filter,
        # data: is let through here so that an image may use it; value_filter refuses it everywhere else.
        url_schemes=set(policy.schemes) | {"data"},
        # No rel="noopener noreferrer" on every link: it would change the links authors write (and
        # every browser treats target=_blank as noopener already).
        link_rel=None,
        strip_comments=True,
    )


def clean(html: str, allowed: tuple[str, ...] = ()) -> str:
    """html with everything the policy (plus a site's html_allow entries) does not allow removed."""
    if not html:
        return html
    return _cleaner(tuple(allowed)).clean(html)
