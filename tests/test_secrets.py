"""Secrets stay out of output and pages: SMTP credentials come from the environment only, the
password is never printed, and neither the environment nor mkdocs.yml's `extra:` leaks into the site.

The SMTP part is unit-tested here with smtplib.SMTP replaced (STARTTLS needs a real TLS server);
tests/test_reminders.py logs in to a local fake server for real. The site is a real build.
"""

from __future__ import annotations

import base64
import gzip
import io
import shutil
import smtplib
import subprocess
import sys

import pytest

from conftest import run_cli
from handbok.core.settings import ConfigError
from handbok.reminders import digest as reminders
from sitebuild import ROOT, build_env

PASSWORD = "S3cr3t-pw-7f1e"
BASE = {"HANDBOK_SMTP_HOST": "smtp.exempelkommun.se", "HANDBOK_SMTP_FROM": "handboken@exempelkommun.se"}


class FakeSMTP:
    """Records what _send does with the connection; fail_with is raised by the named step."""

    instances: list[FakeSMTP] = []
    fail_with: tuple[str, Exception] | None = None

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.calls = host, port, []
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def _step(self, name, *args):
        self.calls.append((name, *args))
        if FakeSMTP.fail_with and FakeSMTP.fail_with[0] == name:
            raise FakeSMTP.fail_with[1]

    def starttls(self, context=None):
        assert context is not None  # certificates are verified
        self._step("starttls")

    def login(self, user, password):
        self._step("login", user, password)

    def send_message(self, message):
        self._step("send", message["To"])


@pytest.fixture
def fake_smtp(monkeypatch):
    FakeSMTP.instances, FakeSMTP.fail_with = [], None
    monkeypatch.setattr(reminders.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(reminders, "load_addresses", lambda environ: {"enhetschef vuxen": ["vuxen@exempelkommun.se"]})
    return FakeSMTP


def _digests():
    digest = reminders.Digest("Enhetschef vuxen", "enhetschef-vuxen")
    files = {"enhetschef-vuxen.md": b"Hej!", "enhetschef-vuxen.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}
    return [digest], files


def send(environ: dict) -> tuple[int, str]:
    digests, files = _digests()
    out, err = io.StringIO(), io.StringIO()
    code = reminders._send(digests, files, environ, out, err)
    return code, out.getvalue() + err.getvalue()


def test_no_login_without_the_variables(fake_smtp):
    code, output = send(BASE)
    assert code == 0 and fake_smtp.instances[0].calls == [("send", "vuxen@exempelkommun.se")]
    assert "Skickade till Enhetschef vuxen" in output


def test_starttls_then_login_then_send(fake_smtp):
    code, output = send({**BASE, "HANDBOK_SMTP_STARTTLS": "1", "HANDBOK_SMTP_USER": "handboken",
                         "HANDBOK_SMTP_PASSWORD": PASSWORD, "HANDBOK_SMTP_PORT": "587"})
    assert code == 0
    (smtp,) = fake_smtp.instances
    assert smtp.port == 587
    assert smtp.calls == [("starttls",), ("login", "handboken", PASSWORD), ("send", "vuxen@exempelkommun.se")]
    assert PASSWORD not in output


def test_starttls_without_login(fake_smtp):
    assert send({**BASE, "HANDBOK_SMTP_STARTTLS": "ja"})[0] == 0
    assert [c[0] for c in fake_smtp.instances[0].calls] == ["starttls", "send"]


@pytest.mark.parametrize("missing", ["HANDBOK_SMTP_USER", "HANDBOK_SMTP_PASSWORD"])
def test_login_only_when_both_are_set(fake_smtp, missing):
    env = {**BASE, "HANDBOK_SMTP_STARTTLS": "1", "HANDBOK_SMTP_USER": "handboken", "HANDBOK_SMTP_PASSWORD": PASSWORD}
    del env[missing]
    code, output = send(env)
    assert code == 2 and fake_smtp.instances == []  # not even connected
    assert f"inte {missing}" in output and PASSWORD not in output


def test_a_password_is_never_sent_in_clear_text_over_the_network(fake_smtp):
    code, output = send({**BASE, "HANDBOK_SMTP_USER": "handboken", "HANDBOK_SMTP_PASSWORD": PASSWORD})
    assert code == 2 and fake_smtp.instances == []
    assert "HANDBOK_SMTP_STARTTLS=1" in output and PASSWORD not in output


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"])
def test_on_this_machine_a_login_needs_no_starttls(host):
    login = reminders.smtp_login({"HANDBOK_SMTP_USER": "u", "HANDBOK_SMTP_PASSWORD": PASSWORD}, host)
    assert (login.starttls, login.user, login.password) == (False, "u", PASSWORD)
    assert PASSWORD not in repr(login)


def test_an_unknown_starttls_value_is_an_error():
    with pytest.raises(ConfigError, match="HANDBOK_SMTP_STARTTLS"):
        reminders.smtp_login({"HANDBOK_SMTP_STARTTLS": "kanske"}, "smtp.exempelkommun.se")


@pytest.mark.parametrize("step, error, says", [
    ("login", smtplib.SMTPAuthenticationError(535, f"5.7.8 rejected {PASSWORD}".encode()), "godtog inte inloggningen"),
    ("login", smtplib.SMTPAuthenticationError(
        535, base64.b64encode(f"\0handboken\0{PASSWORD}".encode())), "godtog inte inloggningen"),
    ("login", UnicodeEncodeError("ascii", f"\0handboken\0{PASSWORD}å", 25, 26, "ordinal not in range(128)"),
     "inte å, ä eller ö"),
    ("starttls", smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."), "stöder inte"),
    ("send", smtplib.SMTPDataError(554, f"echo {PASSWORD}".encode()), "kunde inte skicka"),
    ("send", OSError(f"connection reset while sending {PASSWORD}"), "kunde inte skicka"),
])
def test_failures_are_swedish_and_never_show_the_password(fake_smtp, step, error, says):
    fake_smtp.fail_with = (step, error)
    code, output = send({**BASE, "HANDBOK_SMTP_STARTTLS": "1", "HANDBOK_SMTP_USER": "handboken",
                         "HANDBOK_SMTP_PASSWORD": PASSWORD})
    assert code == 1 and says in output
    assert PASSWORD not in output and base64.b64encode(f"\0handboken\0{PASSWORD}".encode()).decode() not in output


def test_the_cli_takes_no_credentials_as_flags(tmp_path):
    help_text = run_cli("påminnelser", "--help", cwd=tmp_path).stdout
    assert "--send" in help_text and "password" not in help_text.lower() and "lösenord" not in help_text.lower()
    refused = run_cli("påminnelser", "--smtp-password", PASSWORD, cwd=tmp_path)
    assert refused.returncode == 2 and "okända argument" in refused.stderr


def test_mkdocs_yml_takes_no_credentials_either(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\nplugins:\n  - handbok:\n      smtp_password: {PASSWORD}\n",
                                         encoding="utf-8")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2 and "okänd inställning för handbok: smtp_password" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


# --- the built site ----------------------------------------------------------------------------

ENV_MARKER = "S3cr3t-env-9b2c4d-marker"
EXTRA_MARKER = "S3cr3t-extra-5e8a1f-marker"


@pytest.mark.slow
def test_no_secret_from_the_environment_or_extra_reaches_the_built_site(tmp_path):
    """The example handbook, with a password in the environment and in mkdocs.yml's `extra:`
    (literally and through !ENV, as an administrator might write it): no file of the site holds either."""
    for name in ("handbook", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    secrets = (f"  smtp_password: {EXTRA_MARKER}\n  smtp_password_env: !ENV HANDBOK_SMTP_PASSWORD\n"
               "  smtp: {user: handboken, password: !ENV [HANDBOK_SMTP_PASSWORD, none]}\n")
    # Merged into the example's own top-level `extra:` block (a second one would replace it).
    assert config.count("\nextra:\n") == 1
    config = config.replace("\nextra:\n", "\nextra:\n" + secrets, 1)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = {**build_env(), "HANDBOK_SMTP_PASSWORD": ENV_MARKER, "HANDBOK_SMTP_USER": "handboken",
           "HANDBOK_SMTP_HOST": "smtp.exempelkommun.se"}
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml"),
                             "-d", str(site)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50 and (site / "index.html").is_file()
    leaks = []
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data += gzip.decompress(data)
        for marker in (ENV_MARKER, EXTRA_MARKER):
            encoded = marker.encode()
            if encoded in data or base64.b64encode(encoded) in data or marker.encode("utf-16-le") in data:
                leaks.append(f"{path.relative_to(site)}: {marker}")
    assert leaks == []
    assert ENV_MARKER not in result.stdout + result.stderr and EXTRA_MARKER not in result.stdout + result.stderr
