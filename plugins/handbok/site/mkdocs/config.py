"""The handbok plugin's options in mkdocs.yml, as a typed MkDocs config class.

Names, types and defaults are those of handbok.core.settings.Settings; the Swedish help
for each option lives only in settings.OPTION_HELP (used by the CLI and the docs).
tests/test_plugin_config.py checks that the three never drift apart.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from handbok.core import doctypes, settings


class HandbokConfig(Config):
    exclude = c.ListOfItems(c.Type(str), default=["index.md"])
    evidence_dir = c.Type(str, default="evidens")
    extra_types = c.ListOfItems(c.Type(str), default=[])
    extra_evidence_kinds = c.ListOfItems(c.Type(str), default=[])
    # The built-in types whose record says so (process, rutin, riktlinje), as in Settings.
    legal_basis_required_for = c.ListOfItems(
        c.Type(str), default=[n for n in doctypes.BUILTIN_NAMES if doctypes.get(n).legal_basis_required])
    due_soon_days = c.Type(int, default=30)
    as_needed_months = c.Type(int, default=24)
    roles_file = c.Optional(c.Type(str))
    units_file = c.Optional(c.Type(str))
    laws_file = c.Optional(c.Type(str))
    provisions_file = c.Optional(c.Type(str))
    requirements_file = c.Optional(c.Type(str))
    coverage = c.Type(bool, default=True)
    require_decision = c.Type(bool, default=False)
    allow_test_personnummer = c.Type(bool, default=False)
    extra_keys = c.ListOfItems(c.Type(str), default=[])
    generated_dir = c.Type(str, default="handbok")
    templates_dir = c.Optional(c.Type(str))
    attachment_types = c.ListOfItems(c.Type(str), default=[])
    html_allow = c.ListOfItems(c.Type(str), default=[])
    csp = c.Type(bool, default=True)
    law_links = c.Optional(c.Type(str))
    goal_levels = c.ListOfItems(c.Type(str), default=list(settings.DEFAULT_GOAL_LEVELS))
    organisation = c.Optional(c.Type(str))
    version_history = c.Type(bool, default=True)
    version_authors = c.Type(bool, default=False)
    search = c.Type(bool, default=True)
    synonyms_file = c.Optional(c.Type(str))
