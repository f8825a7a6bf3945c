"""Our own YAML data files (registries, the law list, the requirement catalogue)."""

from __future__ import annotations

import yaml

try:  # the C loader is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on the platform build
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]


def load_data(text: str):
    """A data file of ours (registries, law list, requirements) with the C loader when present:
    the pure-Python loader spent a tenth of a second on the law list alone at every start."""
    return yaml.load(text, Loader=BaseLoader)
