"""The YAML loader for front matter: safe, C-accelerated where libyaml is present, dates as text.

Shared by the real parser (frontmatter.py) and the fast path (yamlfast.py), which must
return exactly what this loader returns.
"""

from __future__ import annotations

from handbok.core.datafile import BaseLoader


class FrontMatterLoader(BaseLoader):
    """Safe loader that leaves timestamps as strings (we validate dates ourselves)."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in BaseLoader.yaml_implicit_resolvers.items()
}
