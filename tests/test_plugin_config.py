"""The MkDocs plugin's typed config class and core.settings describe the same options."""

from __future__ import annotations

import pytest
from mkdocs.config import config_options as c

from handbok.core.settings import OPTION_HELP, Settings
from handbok.site.mkdocs.config import HandbokConfig


def _options() -> dict[str, c.BaseConfigOption]:
    return dict(HandbokConfig()._schema)


def test_option_names_equal_option_help():
    assert list(_options()) == list(OPTION_HELP)


@pytest.mark.parametrize("name", list(OPTION_HELP))
def test_default_equals_settings_default(name):
    config = HandbokConfig()
    config.load_dict({})
    failed, warnings = config.validate()
    assert not failed and not warnings
    assert config[name] == getattr(Settings(), name)


@pytest.mark.parametrize("name", list(OPTION_HELP))
def test_type_matches_settings(name):
    """A value of the Settings type passes; a value of another type is rejected by MkDocs."""
    default = getattr(Settings(), name)
    good = {bool: True, int: 7, list: ["a"], str: "mapp"}[type(default)] if default is not None else "mapp.yml"
    bad = 7 if isinstance(default, (str, list)) or default is None else "text"
    config = HandbokConfig()
    config.load_dict({name: good})
    assert config.validate() == ([], []) and config[name] == good
    config = HandbokConfig()
    config.load_dict({name: bad})
    failed, _ = config.validate()
    assert failed and failed[0][0] == name
    if default is None:  # the Optional ones take null too, like Settings
        config = HandbokConfig()
        config.load_dict({name: None})
        assert config.validate() == ([], []) and config[name] is None


def test_plugin_uses_the_config_class():
    from handbok.site.mkdocs.plugin import HandbokPlugin

    assert HandbokPlugin().config_class is HandbokConfig
