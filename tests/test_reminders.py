"""handbok påminnelser: digests, calendar files and (optionally) e-mail, on real handbooks in tmp dirs."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import io
import os
import re
import socketserver
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import icalendar
import pytest

from handbok.core.settings import Settings
from handbok.reminders import digest as reminders
from handbok.site.mkdocs import urls
from handbok.source import reader

TODAY = dt.date(2026, 12, 1)
SITE = "https://intranat.exempelkommun.se/handbok/"
HOSTILE = "<script>alert(1)</script> *fet* [länk](http://x) # | `kod` " + "Förhandsbedömning och skyddsbedömning " * 3

ROLES = """\
roles:
  - {id: socialchef, name: Socialchef}
  - {id: enhetschef-vuxen, name: Enhetschef vuxen}
  - {id: enhetschef-barn-och-unga, name: Enhetschef barn och unga}
  - {id: verksamhetsutvecklare, name: Verksamhetsutvecklare}
"""
UNITS = """\
units:
  - {id: vuxen, name: Vuxen}
  - {id: barn-och-unga, name: Barn och unga}
"""


def doc(title: str, owner: str, revised: str, interval: str = "årligen", type_: str = "checklista",
        status: str = "gällande", extra: str = "") -> str:
    title = title.replace("'", "''")
    return (f"---\ntitle: '{title}'\ntype: {type_}\nowner: {owner}\nrevised: {revised}\n"
            f"review_interval: {interval}\nstatus: {status}\n{extra}---\n\nText.\n")


def evidence(entry_id: str, title: str, reviewed: str, owner: str | None) -> str:
    owner_line = f"owner: {owner}\n" if owner else ""
    return textwrap.dedent(f"""\
        ---
        id: {entry_id}
        title: {title}
        kind: metodstöd
        publisher: Socialstyrelsen
        year: 2018
        areas: [barn-och-unga]
        url: https://www.socialstyrelsen.se/
        reviewed: {reviewed}
        review_interval: vartannat år
        """) + owner_line + "---\n\nSammanfattning.\n"


def make_handbook(root: Path, site_url: str | None = SITE) -> Path:
    """A small handbook: overdue, due-soon, current, draft and evidence, four owners plus one without."""
    (root / "registry").mkdir(parents=True)
    (root / "registry" / "roles.yml").write_text(ROLES, encoding="utf-8")
    (root / "registry" / "units.yml").write_text(UNITS, encoding="utf-8")
    site = f"site_url: {site_url}\n" if site_url else ""
    (root / "mkdocs.yml").write_text(
        f"site_name: Test\n{site}docs_dir: handbook\nplugins:\n  - handbok:\n"
        "      roles_file: registry/roles.yml\n      units_file: registry/units.yml\n      coverage: false\n",
        encoding="utf-8")
    docs = root / "handbook"
    files = {
        # overdue 61 days (next review 2026-10-01)
        "vuxen/rutiner/uppfoljning.md": doc("Uppföljning – vuxen", "Enhetschef vuxen", "2025-10-01", type_="rutin",
                                            extra="legal_basis: [SFS 2025:400 5 kap. 1 §]\n"),
        # due soon (2026-12-10), folder page: URL is the folder
        "vuxen/index.md": doc("Vuxen – översikt", "Enhetschef vuxen", "2025-12-10"),
        # owner given as a mapping with a person and an address
        "barn/checklista.md": doc("Checklista skyddsbedömning", "\n  role: Enhetschef barn och unga\n"
                                  "  name: Anna Ek\n  email: anna.ek@exempelkommun.se", "2025-12-15"),
        "barn/hostile.md": doc(HOSTILE, "Socialchef", "2025-12-20"),
        # current, draft and repealed: never reminded
        "vuxen/aktuell.md": doc("Aktuell rutin", "Enhetschef vuxen", "2026-06-01"),
        "vuxen/utkast.md": doc("Utkast", "Enhetschef vuxen", "2024-01-01", status="utkast"),
        "vuxen/upphavd.md": doc("Upphävd", "Enhetschef vuxen", "2024-01-01", status="upphävd"),
        # evidence entries: one overdue with an owner, one due soon without
        "evidens/bbic.md": evidence("bbic", "Grundbok i BBIC", "2024-10-01", "Verksamhetsutvecklare"),
        "evidens/mi.md": evidence("mi", "Motiverande samtal", "2024-12-20", None),
    }
    for rel, text in files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return docs


def load(root: Path, today: dt.date = TODAY):
    settings = Settings(base_dir=root, roles_file="registry/roles.yml", units_file="registry/units.yml", coverage=False)
    return reader.load(root / "handbook", settings, today)


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDBOK_") and k != "SOURCE_DATE_EPOCH"}
    env.update(extra)
    return env


def cli(root: Path, *args: str, today: str = "2026-12-01", out: str = "ut", env: dict | None = None):
    result = subprocess.run([sys.executable, "-m", "handbok", "påminnelser", "handbook", "--today", today, "-o", out,
                             *args], cwd=root, capture_output=True, text=True, env=env or clean_env(), timeout=60)
    assert "Traceback" not in result.stderr + result.stdout
    return result


# --------------------------------------------------------------------------- strict iCalendar check

REQUIRED = {
    "VCALENDAR": {"VERSION", "PRODID"},
    "VEVENT": {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION"},
    "VALARM": {"ACTION", "TRIGGER", "DESCRIPTION"},
}


def validate_ics(data: bytes) -> icalendar.Calendar:
    """RFC 5545 shape, checked on the bytes (not only what a lenient parser accepts)."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
        line.decode("utf-8")  # a fold never splits a UTF-8 sequence
    logical: list[str] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            logical[-1] += line[1:].decode("utf-8")
        else:
            logical.append(line.decode("utf-8"))
    stack: list[tuple[str, set]] = []
    for line in logical:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        value = line.split(":", 1)[1]
        if name == "BEGIN":
            stack.append((value, set()))
        elif name == "END":
            component, props = stack.pop()
            assert component == value, f"END:{value} closes BEGIN:{component}"
            missing = REQUIRED.get(component, set()) - props
            assert not missing, f"{component} lacks {missing}"
        else:
            assert stack, f"property outside a component: {line}"
            stack[-1][1].add(name)
        if name == "DTSTART":
            assert re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", line), line
        if name == "VERSION":
            assert value == "2.0"
    assert not stack, "unbalanced BEGIN/END"
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    return icalendar.Calendar.from_ical(data)


# --------------------------------------------------------------------------- unit-level


@pytest.mark.parametrize("path, url", [
    ("a/b.md", "a/b/"), ("a/index.md", "a/"), ("index.md", ""), ("a/README.md", "a/"),
    ("b.md", "b/"), ("rutiner/förhandsbedömning.md", "rutiner/f%C3%B6rhandsbed%C3%B6mning/"),
    ("a/mitt dokument.md", "a/mitt%20dokument/"),
])
def test_page_url_like_mkdocs_directory_urls(path, url):
    assert urls.page_url(path) == url


def test_absolute_url_joins_with_or_without_trailing_slash():
    assert urls.absolute_url("https://x.se/handbok", "a/b.md") == "https://x.se/handbok/a/b/"
    assert urls.absolute_url("https://x.se/handbok/", "a/index.md") == "https://x.se/handbok/a/"
    assert urls.absolute_url(None, "a/b.md") is None


def test_collect_groups_overdue_and_due_soon_by_owner_role(tmp_path):
    make_handbook(tmp_path)
    digests = reminders.collect(load(tmp_path))
    got = {d.role: ([x.path for x in d.overdue], [x.path for x in d.due_soon]) for d in digests}
    assert got == {
        "Enhetschef barn och unga": ([], ["barn/checklista.md"]),
        "Enhetschef vuxen": (["vuxen/rutiner/uppfoljning.md"], ["vuxen/index.md"]),
        "Socialchef": ([], ["barn/hostile.md"]),
        "Verksamhetsutvecklare": (["evidens/bbic.md"], []),
        reminders.NO_OWNER: ([], ["evidens/mi.md"]),
    }
    assert [d.role for d in digests][-1] == reminders.NO_OWNER  # the ownerless group comes last
    assert {d.slug for d in digests} == {"enhetschef-barn-och-unga", "enhetschef-vuxen", "socialchef",
                                         "verksamhetsutvecklare", "dokumentagare-saknas"}


def test_roles_that_fold_to_the_same_slug_get_distinct_files(tmp_path):
    make_handbook(tmp_path)
    (tmp_path / "registry" / "roles.yml").write_text(ROLES + "  - {id: index, name: Index}\n"
                                                     "  - {id: socialchef-2, name: Socialchef!}\n", encoding="utf-8")
    docs = tmp_path / "handbook"
    (docs / "x.md").write_text(doc("X", "Socialchef!", "2025-12-20"), encoding="utf-8")
    (docs / "y.md").write_text(doc("Y", "Index", "2025-12-20"), encoding="utf-8")
    slugs = [d.slug for d in reminders.collect(load(tmp_path))]
    assert len(slugs) == len(set(slugs))
    assert "index" not in slugs  # index.md is the summary
    assert {"socialchef", "socialchef-2", "index-2"} <= set(slugs)


def test_digest_text_in_process(tmp_path):
    make_handbook(tmp_path)
    book = load(tmp_path)
    vuxen = next(d for d in reminders.collect(book) if d.role == "Enhetschef vuxen")
    text = reminders.render_digest(vuxen, book, urls.page_links(SITE))
    assert text.startswith("# Påminnelse om revision – Enhetschef vuxen\n")
    overdue = text.split("## Försenade (1)")[1].split("## Snart dags")[0]
    assert "Uppföljning – vuxen (rutin)" in overdue and "2026-10-01 (61 dagar sedan)" in overdue
    assert f"{SITE}vuxen/rutiner/uppfoljning/" in overdue
    soon = text.split("## Snart dags (1)")[1]
    assert "Vuxen – översikt (checklista) – ska revideras senast 2026-12-10 (om 9 dagar)" in soon
    assert f"{SITE}vuxen/\n" in soon  # vuxen/index.md is the folder's page


def test_a_late_follow_up_is_reminded_with_its_own_section_event_and_subject(tmp_path):
    make_handbook(tmp_path)
    # Revised "vid behov" (next revision far off), followed up yearly: the follow-up is 31 days late.
    (tmp_path / "handbook" / "vuxen" / "ledning.md").write_text(
        doc("Ledningssystem vuxen", "Enhetschef vuxen", "2025-11-01", interval="vid behov",
            extra="follow_up_interval: årligen\n"), encoding="utf-8")
    book = load(tmp_path)
    vuxen = next(d for d in reminders.collect(book) if d.role == "Enhetschef vuxen")
    assert [d.title for d in vuxen.follow_up] == ["Ledningssystem vuxen"]
    assert "Ledningssystem vuxen" not in [d.title for d in vuxen.documents]  # its revision is not due
    text = reminders.render_digest(vuxen, book, urls.page_links(SITE))
    assert "3 dokument i verksamhetshandboken: 2 behöver revideras och 1 ska följas upp." in text
    follow = text.split("## Att följa upp (1)")[1]
    # counted from `revised` (no followed_up yet): 2025-11-01 + one year
    assert "Ledningssystem vuxen (checklista, följs upp årligen) – skulle ha följts upp senast 2026-11-01 " \
           "(30 dagar sedan)." in follow
    events = icalendar.Calendar.from_ical(reminders.render_ics(vuxen, book, urls.page_links(SITE))).walk("VEVENT")
    follow_ups = [e for e in events if str(e["summary"]).startswith("Följ upp: ")]
    assert [(str(e["summary"]), e["dtstart"].dt) for e in follow_ups] == [
        ("Följ upp: Ledningssystem vuxen", dt.date(2026, 11, 1))]
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert reminders.subject(vuxen) == "Verksamhetshandboken: 2 dokument att revidera (1 försenat), 1 att följa upp"


# --------------------------------------------------------------------------- the real command


def test_cli_writes_digests_calendars_and_index(tmp_path):
    make_handbook(tmp_path)
    result = cli(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "ut"
    names = sorted(p.name for p in out.iterdir())
    slugs = ["dokumentagare-saknas", "enhetschef-barn-och-unga", "enhetschef-vuxen", "socialchef",
             "verksamhetsutvecklare"]
    assert names == sorted([reminders.MARKER, "index.md"] + [f"{s}.{e}" for s in slugs for e in ("md", "ics")])
    for name in names:
        if name != reminders.MARKER:
            assert f"Skrev {Path('ut') / name}" in result.stdout  # it says what it wrote
    assert "Torrkörning" in result.stdout and "Inget e-postmeddelande skickades" in result.stdout

    barn = (out / "enhetschef-barn-och-unga.md").read_text(encoding="utf-8")
    assert "Hej Anna Ek!" in barn
    assert "## Snart dags (1)" in barn and "## Försenade" not in barn
    assert "Checklista skyddsbedömning (checklista) – ska revideras senast 2026-12-15 (om 14 dagar)" in barn
    assert f"  {SITE}barn/checklista/" in barn

    vu = (out / "verksamhetsutvecklare.md").read_text(encoding="utf-8")
    assert "Grundbok i BBIC (evidens) – skulle ha granskats senast 2026-10-01 (61 dagar sedan)" in vu
    assert f"{SITE}evidens/bbic/" in vu

    summary = (out / "index.md").read_text(encoding="utf-8")
    assert "2 försenade och 4 snart förfallande dokument hos 5 dokumentägare." in summary
    for slug in slugs:
        assert f"{slug}.md, {slug}.ics" in summary
    for text in (barn, vu, summary):
        assert "Utkast" not in text and "Upphävd" not in text and "Aktuell rutin" not in text


def test_hostile_title_is_escaped_in_markdown_and_intact_in_calendar(tmp_path):
    make_handbook(tmp_path)
    assert cli(tmp_path).returncode == 0
    text = (tmp_path / "ut" / "socialchef.md").read_text(encoding="utf-8")
    assert "<script>" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no live Markdown link
    assert r"\<script\>alert(1)\</script\> \*fet\* \[länk\](http://x) \# \| \`kod\`" in text
    cal = validate_ics((tmp_path / "ut" / "socialchef.ics").read_bytes())
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Revidera: " + " ".join(HOSTILE.split())


def test_every_calendar_is_strict_icalendar(tmp_path):
    make_handbook(tmp_path)
    assert cli(tmp_path).returncode == 0
    calendars = sorted((tmp_path / "ut").glob("*.ics"))
    assert len(calendars) == 5
    uids = []
    for path in calendars:
        cal = validate_ics(path.read_bytes())
        assert str(cal["PRODID"]) == reminders.PRODID
        for event in cal.walk("VEVENT"):
            start = event.decoded("DTSTART")
            assert type(start) is dt.date
            assert event.decoded("DTEND") == start + dt.timedelta(days=1)
            assert event.decoded("DTSTAMP") == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # injected today
            assert str(event["SUMMARY"]).startswith("Revidera: ")
            (alarm,) = event.walk("VALARM")
            assert alarm.decoded("TRIGGER") == dt.timedelta(days=-7)
            uids.append(str(event["UID"]))
    assert len(uids) == len(set(uids)) == 6

    vuxen = validate_ics((tmp_path / "ut" / "enhetschef-vuxen.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in vuxen.walk("VEVENT")}
    late = events["Revidera: Uppföljning – vuxen"]
    assert late.decoded("DTSTART") == dt.date(2026, 10, 1)
    description = str(late["DESCRIPTION"])
    assert f"Dokument: {SITE}vuxen/rutiner/uppfoljning/" in description
    assert "Dokumentägare: Enhetschef vuxen" in description


def test_rerun_is_byte_identical_and_uids_depend_on_path_and_date(tmp_path):
    make_handbook(tmp_path)
    assert cli(tmp_path).returncode == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "ut").iterdir()}
    assert cli(tmp_path).returncode == 0  # its own files are replaced without asking
    assert {p.name: p.read_bytes() for p in (tmp_path / "ut").iterdir()} == first

    # A new review date is a new deadline, so a new UID; the old one stays in calendars that imported it.
    target = tmp_path / "handbook" / "vuxen" / "rutiner" / "uppfoljning.md"
    target.write_text(target.read_text(encoding="utf-8").replace("årligen", "6 månader"), encoding="utf-8")
    assert cli(tmp_path).returncode == 0
    old = {str(e["UID"]) for e in icalendar.Calendar.from_ical(first["enhetschef-vuxen.ics"]).walk("VEVENT")}
    new = {str(e["UID"]) for e in validate_ics((tmp_path / "ut" / "enhetschef-vuxen.ics").read_bytes()).walk("VEVENT")}
    assert len(old & new) == 1 and len(new - old) == 1  # vuxen/index.md unchanged, uppfoljning moved


def test_stale_digests_of_an_earlier_run_are_removed(tmp_path):
    make_handbook(tmp_path)
    assert cli(tmp_path).returncode == 0
    assert (tmp_path / "ut" / "socialchef.md").exists()
    (tmp_path / "handbook" / "barn" / "hostile.md").unlink()
    result = cli(tmp_path)
    assert result.returncode == 0
    assert not (tmp_path / "ut" / "socialchef.md").exists() and not (tmp_path / "ut" / "socialchef.ics").exists()
    assert "socialchef" not in (tmp_path / "ut" / reminders.MARKER).read_text(encoding="utf-8")


def test_nothing_to_remind_exits_zero(tmp_path):
    make_handbook(tmp_path)
    result = cli(tmp_path, today="2026-01-15")
    assert result.returncode == 0, result.stderr
    assert "Inga försenade eller snart förfallande dokument." in result.stdout
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [reminders.MARKER, "index.md"]
    assert "Inga försenade eller snart förfallande dokument." in (tmp_path / "ut" / "index.md").read_text("utf-8")


def test_without_site_url_the_path_is_shown_and_explained(tmp_path):
    make_handbook(tmp_path, site_url=None)
    assert cli(tmp_path).returncode == 0
    text = (tmp_path / "ut" / "enhetschef-vuxen.md").read_text(encoding="utf-8")
    assert "site_url i mkdocs.yml) är inte angiven" in text
    assert "  Fil: vuxen/rutiner/uppfoljning.md" in text and "https://" not in text
    cal = validate_ics((tmp_path / "ut" / "enhetschef-vuxen.ics").read_bytes())
    for event in cal.walk("VEVENT"):
        assert "URL" not in event
        assert "Fil: vuxen/" in str(event["DESCRIPTION"])


# --------------------------------------------------------------------------- never clobber


def test_refuses_a_folder_with_the_users_files(tmp_path):
    make_handbook(tmp_path)
    out = tmp_path / "ut"
    out.mkdir()
    (out / "socialchef.md").write_text("Mina anteckningar", encoding="utf-8")
    result = cli(tmp_path)
    assert result.returncode == 2
    assert "innehåller filer som ”handbok påminnelser” inte har skapat" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["socialchef.md"]
    assert (out / "socialchef.md").read_text(encoding="utf-8") == "Mina anteckningar"


def test_refuses_when_a_user_file_was_added_to_its_own_folder(tmp_path):
    make_handbook(tmp_path)
    assert cli(tmp_path).returncode == 0
    out = tmp_path / "ut"
    (out / "mina-anteckningar.txt").write_text("egen fil", encoding="utf-8")
    (tmp_path / "handbook" / "barn" / "hostile.md").unlink()  # would make socialchef.* stale
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = cli(tmp_path)
    assert result.returncode == 2 and "mina-anteckningar.txt" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_forged_marker_cannot_make_it_delete_other_paths(tmp_path):
    make_handbook(tmp_path)
    out = tmp_path / "ut"
    out.mkdir()
    (tmp_path / "keep.md").write_text("behåll", encoding="utf-8")
    (out / reminders.MARKER).write_text("../keep.md\n../mkdocs.yml\n", encoding="utf-8")
    assert cli(tmp_path).returncode == 0
    assert (tmp_path / "keep.md").read_text(encoding="utf-8") == "behåll"
    assert (tmp_path / "mkdocs.yml").exists()


def test_output_that_is_a_file_is_a_swedish_error(tmp_path):
    make_handbook(tmp_path)
    (tmp_path / "ut").write_text("en fil", encoding="utf-8")
    result = cli(tmp_path)
    assert result.returncode == 2 and "är ingen mapp" in result.stderr
    assert (tmp_path / "ut").read_text(encoding="utf-8") == "en fil"


def test_output_inside_the_handbook_is_refused(tmp_path):
    make_handbook(tmp_path)
    result = cli(tmp_path, out="handbook/påminnelser")
    assert result.returncode == 2 and "ligger i handbokens mapp" in result.stderr
    assert not (tmp_path / "handbook" / "påminnelser").exists()


# --------------------------------------------------------------------------- e-mail


def test_dry_run_names_recipients_from_owner_email_and_address_file(tmp_path):
    make_handbook(tmp_path)
    (tmp_path / "adresser.yml").write_text("Enhetschef vuxen: vuxen@exempelkommun.se\n"
                                           "verksamhetsutvecklare: [vu@exempelkommun.se, kval@exempelkommun.se]\n",
                                           encoding="utf-8")
    result = cli(tmp_path, env=clean_env(HANDBOK_ADDRESSES=str(tmp_path / "adresser.yml")))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("Torrkörning")]
    assert len(lines) == 5
    by_role = {re.search(r"till (.+?) <", line).group(1): line for line in lines}
    assert "<anna.ek@exempelkommun.se>" in by_role["Enhetschef barn och unga"]  # owner.email wins
    assert "<vuxen@exempelkommun.se>" in by_role["Enhetschef vuxen"]  # by role name
    assert "<vu@exempelkommun.se, kval@exempelkommun.se>" in by_role["Verksamhetsutvecklare"]  # by role id
    assert "<ingen e-postadress känd>" in by_role["Socialchef"]
    assert "”Verksamhetshandboken: 2 dokument att revidera (1 försenat)”" in by_role["Enhetschef vuxen"]


@pytest.mark.parametrize("content", ["- bara\n- en lista\n", "Socialchef: inte-en-adress\n", "a: [b\n"])
def test_broken_address_file_is_a_swedish_error(tmp_path, content):
    make_handbook(tmp_path)
    (tmp_path / "adresser.yml").write_text(content, encoding="utf-8")
    result = cli(tmp_path, env=clean_env(HANDBOK_ADDRESSES=str(tmp_path / "adresser.yml")))
    assert result.returncode == 2
    assert "HANDBOK_ADDRESSES" in result.stderr and "adresser.yml" in result.stderr


def test_send_without_smtp_host_exits_2(tmp_path):
    make_handbook(tmp_path)
    result = cli(tmp_path, "--send")
    assert result.returncode == 2
    assert "--send kräver en e-postserver – sätt HANDBOK_SMTP_HOST" in result.stderr


class _Sink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to receive messages from smtplib (EHLO, MAIL, RCPT, DATA, QUIT)."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, password: str | None = None):
        super().__init__(("127.0.0.1", 0), _SinkHandler)
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.password = password  # set: the sink offers AUTH PLAIN and accepts only this password
        self.logins: list[tuple[str, str]] = []  # (user, password) of every AUTH attempt


class _SinkHandler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def ehlo(self) -> None:
        self.reply("250-sink")
        if self.server.password is not None:
            self.reply("250-AUTH PLAIN")
        self.reply("250 8BITMIME")

    def auth(self, command: str) -> None:
        """AUTH PLAIN with the initial response (what smtplib sends)."""
        encoded = command.split(" ", 2)[2]
        _, user, password = base64.b64decode(encoded).decode("utf-8").split("\0")
        self.server.logins.append((user, password))
        if password == self.server.password:
            self.reply("235 2.7.0 Authentication successful")
        else:  # like servers that quote what they got: the client must mask it
            self.reply(f"535 5.7.8 Authentication failed: {encoded} ({password})")

    def handle(self):
        self.reply("220 sink ESMTP")
        sender, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.ehlo()
            elif verb == "AUTH" and self.server.password is not None:
                self.auth(command)
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "MAIL":
                sender, rcpts = re.search(r"<(.*?)>", command).group(1), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(re.search(r"<(.*?)>", command).group(1))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append((sender, rcpts, b"".join(body)))
                self.reply("250 OK")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


@pytest.fixture
def smtp_sink():
    server = _Sink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_send_delivers_digest_with_calendar_attached(tmp_path, smtp_sink):
    make_handbook(tmp_path)
    (tmp_path / "adresser.yml").write_text("Enhetschef vuxen: vuxen@exempelkommun.se\n", encoding="utf-8")
    env = clean_env(HANDBOK_SMTP_HOST="127.0.0.1", HANDBOK_SMTP_PORT=str(smtp_sink.server_address[1]),
                    HANDBOK_SMTP_FROM="handboken@exempelkommun.se", HANDBOK_ADDRESSES=str(tmp_path / "adresser.yml"))
    result = cli(tmp_path, "--send", env=env)
    # Two roles have an address; the other three are reported, so the exit code says not everything went out.
    assert result.returncode == 1
    assert "ingen e-postadress för ”Socialchef”" in result.stderr
    assert len(smtp_sink.messages) == 2
    received = {tuple(rcpts): email.message_from_bytes(data, policy=email.policy.default)
                for _, rcpts, data in smtp_sink.messages}
    assert all(sender == "handboken@exempelkommun.se" for sender, _, _ in smtp_sink.messages)
    message = received[("vuxen@exempelkommun.se",)]
    assert message["Subject"] == "Verksamhetshandboken: 2 dokument att revidera (1 försenat)"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP carries CRLF
    assert body == (tmp_path / "ut" / "enhetschef-vuxen.md").read_text(encoding="utf-8")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "enhetschef-vuxen.ics"
    assert attachment.get_payload(decode=True) == (tmp_path / "ut" / "enhetschef-vuxen.ics").read_bytes()
    assert ("anna.ek@exempelkommun.se",) in received
    assert "Skickade till Enhetschef vuxen <vuxen@exempelkommun.se>" in result.stdout


def test_send_to_a_closed_port_is_a_swedish_error(tmp_path):
    make_handbook(tmp_path)
    server = _Sink()  # bind, note the port, close: nothing listens there any more
    port = server.server_address[1]
    server.server_close()
    env = clean_env(HANDBOK_SMTP_HOST="127.0.0.1", HANDBOK_SMTP_PORT=str(port), HANDBOK_SMTP_FROM="h@exempelkommun.se")
    result = cli(tmp_path, "--send", env=env)
    assert result.returncode == 1 and "kunde inte skicka via 127.0.0.1" in result.stderr


def test_run_in_process_nothing_sent_without_send(tmp_path):
    make_handbook(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = reminders.run(load(tmp_path), tmp_path / "ut", url_of=urls.page_links(SITE), send=False,
                         environ={"HANDBOK_SMTP_HOST": "127.0.0.1", "HANDBOK_SMTP_PORT": "1"}, out=out, err=err)
    assert code == 0 and err.getvalue() == ""
    assert "Inget e-postmeddelande skickades" in out.getvalue()


# --------------------------------------------------------------------------- login

SINK_PASSWORD = "Hemligt-Losen-42"  # ASCII: smtplib sends the login as ASCII


@pytest.fixture
def smtp_auth_sink():
    server = _Sink(password=SINK_PASSWORD)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _login_env(sink, password: str | None = None, **extra: str) -> dict:
    env = {"HANDBOK_SMTP_USER": "handboken", "HANDBOK_SMTP_PASSWORD": password} if password else {}
    return clean_env(HANDBOK_SMTP_HOST="127.0.0.1", HANDBOK_SMTP_PORT=str(sink.server_address[1]),
                     HANDBOK_SMTP_FROM="handboken@exempelkommun.se", **env, **extra)


def test_send_logs_in_with_user_and_password_from_the_environment(tmp_path, smtp_auth_sink):
    """127.0.0.1 is this machine, so the sink may take the login without STARTTLS (see smtp_login)."""
    make_handbook(tmp_path)
    result = cli(tmp_path, "--send", env=_login_env(smtp_auth_sink, SINK_PASSWORD))
    assert smtp_auth_sink.logins == [("handboken", SINK_PASSWORD)]
    assert len(smtp_auth_sink.messages) == 1  # the one role whose documents give an address
    assert SINK_PASSWORD not in result.stdout + result.stderr


def test_a_refused_login_is_reported_without_the_password(tmp_path, smtp_auth_sink):
    make_handbook(tmp_path)
    password = "Fel-Losen-Som-Inte-Far-Synas-7"
    result = cli(tmp_path, "--send", env=_login_env(smtp_auth_sink, password))
    assert result.returncode == 1
    assert "godtog inte inloggningen" in result.stderr and "HANDBOK_SMTP_PASSWORD" in result.stderr
    assert smtp_auth_sink.logins == [("handboken", password)] and smtp_auth_sink.messages == []
    encoded = base64.b64encode(f"\0handboken\0{password}".encode()).decode()
    for secret in (password, encoded):  # the sink quoted both in its reply
        assert secret not in result.stdout + result.stderr


def test_send_without_login_variables_does_not_log_in(tmp_path, smtp_auth_sink):
    make_handbook(tmp_path)
    cli(tmp_path, "--send", env=_login_env(smtp_auth_sink))
    assert smtp_auth_sink.logins == [] and len(smtp_auth_sink.messages) == 1


@pytest.mark.parametrize("given", ["HANDBOK_SMTP_USER", "HANDBOK_SMTP_PASSWORD"])
def test_half_a_login_sends_nothing_and_names_the_missing_variable(tmp_path, smtp_auth_sink, given):
    make_handbook(tmp_path)
    value = "Halvt-Losen-99" if given == "HANDBOK_SMTP_PASSWORD" else "handboken"
    result = cli(tmp_path, "--send", env=_login_env(smtp_auth_sink, **{given: value}))
    missing = ({"HANDBOK_SMTP_USER", "HANDBOK_SMTP_PASSWORD"} - {given}).pop()
    assert result.returncode == 2 and f"inte {missing}" in result.stderr
    assert smtp_auth_sink.logins == [] and smtp_auth_sink.messages == []
    assert "Halvt-Losen-99" not in result.stdout + result.stderr
