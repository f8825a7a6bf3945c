"""Shared test helpers: build a handbook in a tmp dir, run the real CLI in a subprocess.

Keep this file small and generic; fixtures for one test module belong in that module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ["browsing"]  # the example site in Chromium, shared by the browser test modules

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Hypothesis: CI (CI is set there) tries the same examples on every run, so a red build is
# reproducible and not luck; printed blobs let a failure be replayed with @reproduce_failure.
# Developers get fresh random examples. HYPOTHESIS_PROFILE=ci reproduces CI locally.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def _registry_yaml(key: str, entries) -> str:
    items = [e if isinstance(e, dict) else {"name": e} for e in entries]
    return yaml.safe_dump({key: items}, allow_unicode=True, sort_keys=False)


def make_handbook(tmp_path: Path, files: dict[str, str | bytes], mkdocs_yml: str | None = None, *,
                  roles: list | None = None, units: list | None = None, options: dict | None = None,
                  docs_dir: str = "docs") -> Path:
    """Write a handbook project below tmp_path and return tmp_path (the project root).

    files: path relative to the docs dir -> text (written as UTF-8 exactly as given, so
    CRLF and BOMs survive) or bytes (written raw, e.g. non-UTF-8 content).
    roles/units: names or {id, name} dicts, written to registry/roles.yml and registry/units.yml.
    mkdocs_yml: the text of mkdocs.yml, written verbatim. When None, a minimal mkdocs.yml is
    generated only if roles, units or handbok plugin options are given (wiring them in);
    otherwise no mkdocs.yml is written.
    """
    docs = tmp_path / docs_dir
    docs.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))
    plugin = dict(options or {})
    if roles is not None:
        (tmp_path / "registry").mkdir(exist_ok=True)
        (tmp_path / "registry" / "roles.yml").write_text(_registry_yaml("roles", roles), encoding="utf-8")
        plugin.setdefault("roles_file", "registry/roles.yml")
    if units is not None:
        (tmp_path / "registry").mkdir(exist_ok=True)
        (tmp_path / "registry" / "units.yml").write_text(_registry_yaml("units", units), encoding="utf-8")
        plugin.setdefault("units_file", "registry/units.yml")
    if mkdocs_yml is None and plugin:
        mkdocs_yml = yaml.safe_dump({"site_name": "Testhandbok", "docs_dir": docs_dir,
                                     "plugins": ["search", {"handbok": plugin}]}, allow_unicode=True, sort_keys=False)
    if mkdocs_yml is not None:
        (tmp_path / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return tmp_path


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None,
            allow_traceback: bool = False) -> subprocess.CompletedProcess:
    """Run `python -m handbok ARGS` in cwd; returns the CompletedProcess (text, UTF-8).

    SOURCE_DATE_EPOCH and HANDBOK_DEBUG from the outer environment are dropped so tests
    decide the date themselves; `env` entries are added on top. A traceback on either
    stream fails the test: users must only ever see Swedish messages.
    """
    full_env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "HANDBOK_DEBUG")}
    full_env["PYTHONIOENCODING"] = "utf-8"
    full_env.update(env or {})
    result = subprocess.run([sys.executable, "-m", "handbok", *args], cwd=cwd, env=full_env, input=input,
                            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    if not allow_traceback:
        assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for all browser tests (see tests/chromium.py)."""
    import chromium

    yield from chromium.launch()
