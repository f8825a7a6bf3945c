"""`handbok påminnelser`: one digest and one calendar file per document owner.

For every owner role with overdue or soon-due documents (evidence entries too) the
command writes into the output folder:

* ``<roll>.md`` – a Swedish digest in Markdown that also reads well as plain text,
  fit for an e-mail or a Teams post, with a link to each document on the site;
* ``<roll>.ics`` – an iCalendar file with one all-day event per review deadline
  (stable UID, reminder 7 days before), for Outlook or any calendar;
* ``index.md`` – a summary of all owners.

File names are ``slugify(roll)``. The folder is created when missing. Files the
command wrote on an earlier run are replaced (and removed when an owner no longer
has anything due); it keeps track of them in the marker file
``.handbok-paminnelser``. A folder holding any file the command did not write is
refused, so a user's own files are never overwritten.

Sending e-mail is optional and off by default (dry run: it prints what would be
sent). With ``send=True`` it needs ``HANDBOK_SMTP_HOST`` (and ``HANDBOK_SMTP_FROM``;
``HANDBOK_SMTP_PORT`` defaults to 25). ``HANDBOK_SMTP_STARTTLS=1`` encrypts the
connection with STARTTLS; ``HANDBOK_SMTP_USER`` and ``HANDBOK_SMTP_PASSWORD`` (both, or
neither) log in. Credentials come from the environment only, never from mkdocs.yml or a
command-line flag (both end up in repositories, CI logs and shell histories), the password
is never printed, and it is only sent over an encrypted connection (or to this machine).
Addresses come from ``owner.email`` in the documents, else from the YAML file named by
``HANDBOK_ADDRESSES`` (role name or role id -> address or list of addresses). Only the
standard library is used.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import os
import re
import smtplib
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TextIO

import yaml

from handbok.core.model import DUE_SOON, OVERDUE, Document
from handbok.core.settings import ConfigError
from handbok.core.text import days, due_in, listing, unique_slugs
from handbok.reminders import ics, quality_work
from handbok.source.safewrite import write_file

MARKER = ".handbok-paminnelser"
NOTHING = "Inga försenade eller snart förfallande dokument."
NO_OWNER = "Dokumentägare saknas"
ALARM_DAYS = 7
PRODID = "-//handbok//Paminnelser om revision//SV"
_MARKER_HEAD = ("# Skapad av ”handbok påminnelser”. Filerna nedan skrivs om vid varje körning;\n"
                "# lägg inga egna filer i den här mappen.\n")
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(md|ics)$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


class OutputError(Exception):
    """The output folder cannot be used; the message is Swedish."""


# --------------------------------------------------------------------------- grouping


@dataclass
class Digest:
    role: str
    slug: str
    overdue: list[Document] = field(default_factory=list)
    due_soon: list[Document] = field(default_factory=list)
    follow_up: list[Document] = field(default_factory=list)  # follow-up (follow_up_interval) late or soon
    work: quality_work.Work = field(default_factory=quality_work.Work)  # measures, controls, activities

    @property
    def documents(self) -> list[Document]:
        """The documents to revise."""
        return self.overdue + self.due_soon

    @property
    def everything(self) -> list[Document]:
        """Every document the digest names: to revise, then to follow up."""
        return self.documents + [d for d in self.follow_up if d not in self.documents]

    @property
    def names(self) -> list[str]:
        return sorted({d.owner.name for d in self.everything if d.owner and d.owner.name})

    @property
    def emails(self) -> list[str]:
        seen: list[str] = []
        for doc in self.everything:
            if doc.owner and doc.owner.email and doc.owner.email not in seen:
                seen.append(doc.owner.email)
        return seen

    @property
    def role_ids(self) -> set[str]:
        return {d.owner.role_id for d in self.everything if d.owner}


def collect(book) -> list[Digest]:
    """Overdue and due-soon documents, and documents whose follow-up is late or soon, grouped by owner
    role, roles in alphabetical order."""
    groups: dict[str, Digest] = {}
    for doc in book.in_review_order():
        role = doc.owner.role if doc.owner else NO_OWNER
        if doc.state in (OVERDUE, DUE_SOON) and doc.next_review is not None:
            group = groups.setdefault(role, Digest(role, ""))
            (group.overdue if doc.state == OVERDUE else group.due_soon).append(doc)
    for doc in sorted(book.documents, key=lambda d: (d.next_follow_up or dt.date.max, d.path)):
        if doc.follow_up_state in (OVERDUE, DUE_SOON) and doc.next_follow_up is not None:
            role = doc.owner.role if doc.owner else NO_OWNER
            groups.setdefault(role, Digest(role, "")).follow_up.append(doc)
    for role, work in quality_work.collect(book).items():
        groups.setdefault(role, Digest(role, "")).work = work
    digests = sorted(groups.values(), key=lambda g: (g.role == NO_OWNER, g.role.casefold()))
    slugs = unique_slugs([d.role for d in digests], reserved=("index", "arshjul"))  # the summary, the årshjul
    for digest in digests:
        digest.slug = slugs[digest.role]
    return digests


# --------------------------------------------------------------------------- URLs

# Where a document is published: docs-relative path -> absolute URL of its page, or None when
# the site's address is unknown. The site adapter knows the URL shape (handbok.site.mkdocs.urls).
UrlOf = Callable[[str], "str | None"]


# --------------------------------------------------------------------------- rendering


def _md(text: str) -> str:
    """A title as safe Markdown on one line: it is data, so Markdown syntax in it is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))




def _late(n: int) -> str:
    return f"{n} {'försenat' if n == 1 else 'försenade'}"


def _kind(doc: Document) -> str:
    return "evidens" if doc.is_evidence else (doc.type or "dokument")


def _where(doc: Document, url_of: UrlOf | None) -> str:
    url = url_of(doc.path) if url_of else None
    return url if url else f"Fil: {doc.path}"


def _needs(digest: Digest) -> str:
    """'behöver revideras', 'ska följas upp' or both, for the intro."""
    parts = []
    if digest.documents:
        parts.append(f"{len(digest.documents)} behöver revideras")
    if digest.follow_up:
        parts.append(f"{len(digest.follow_up)} ska följas upp")
    return " och ".join(parts)


def _work_needs(work: quality_work.Work) -> str:
    """'2 åtgärder, 1 kontroll och 1 aktivitet i årshjulet' – what the quality work asks of the role."""
    parts = []
    for n, one, many in ((len(work.measures), "åtgärd", "åtgärder"), (len(work.controls), "kontroll", "kontroller"),
                         (len(work.activities), "aktivitet i årshjulet", "aktiviteter i årshjulet"),
                         (len(work.indicators), "indikator", "indikatorer")):
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return listing(parts)


def render_digest(digest: Digest, book, url_of: UrlOf | None) -> str:
    today = book.today
    count = len(digest.everything)
    greeting = f"Hej {', '.join(digest.names)}!" if digest.names else "Hej!"
    if digest.role == NO_OWNER:
        intro = (f"{count} dokument i verksamhetshandboken saknar dokumentägare; {_needs(digest)}. Ange en "
                 "dokumentägare (fältet owner) så att påminnelsen når rätt person.")
    elif count:
        intro = (f"Du får det här som {digest.role} – dokumentägare för {count} dokument i verksamhetshandboken: "
                 f"{_needs(digest)}.")
    else:
        intro = f"Du får det här som {digest.role}."
    if digest.work:
        intro += f" I kvalitetsarbetet väntar {_work_needs(digest.work)}."
    title = "Påminnelse om revision" if count else "Påminnelse om kvalitetsarbetet"
    lines = [f"# {title} – {_md(digest.role)}", "", greeting, "", intro,
             f"Sammanställt {today.isoformat()}.", ""]
    if url_of is None:
        lines += ["Obs: adressen till den publicerade handboken (site_url i mkdocs.yml) är inte angiven, "
                  "därför visas sökvägen till filen i stället för en länk.", ""]
    if digest.overdue:
        lines += [f"## Försenade ({len(digest.overdue)})", ""]
        for doc in digest.overdue:
            done = "granskats" if doc.is_evidence else "reviderats"
            due, days_left = doc.deadline
            lines.append(f"- {_md(doc.title or doc.path)} ({_kind(doc)}) – skulle ha {done} "
                         f"senast {due.isoformat()} ({days(-days_left)} sedan).")
            lines.append(f"  {_where(doc, url_of)}")
        lines.append("")
    if digest.due_soon:
        lines += [f"## Snart dags ({len(digest.due_soon)})", ""]
        for doc in digest.due_soon:
            due, days_left = doc.deadline
            verb = "granskas" if doc.is_evidence else "revideras"
            lines.append(f"- {_md(doc.title or doc.path)} ({_kind(doc)}) – ska {verb} senast "
                         f"{due.isoformat()} ({due_in(days_left)}).")
            lines.append(f"  {_where(doc, url_of)}")
        lines.append("")
    if digest.follow_up:
        lines += [f"## Att följa upp ({len(digest.follow_up)})", ""]
        for doc in digest.follow_up:
            follow_due, left = doc.next_follow_up, doc.follow_up_days or 0
            when = (f"skulle ha följts upp senast {follow_due} ({days(-left)} sedan)" if left < 0 else
                    f"ska följas upp senast {follow_due} ({due_in(left)})")
            lines.append(f"- {_md(doc.title or doc.path)} ({_kind(doc)}, följs upp {doc.follow_up_interval}) – "
                         f"{when}.")
            lines.append(f"  {_where(doc, url_of)}")
        lines += ["", "Att följa upp betyder att gå igenom om dokumentet fortfarande stämmer, även om det bara "
                      "revideras vid behov; skriv sedan datumet i fältet followed_up.", ""]
    lines += quality_work.markdown(digest.work, today, _md, url_of)
    if not count:
        lines += [f"Datumen finns också som kalenderfil: {digest.slug}.ics (öppna den i Outlook eller annan "
                  "kalender).", ""]
        return "\n".join(lines)
    lines += [
        "## Så gör du",
        "",
        "Läs igenom dokumentet, ändra det som inte längre stämmer och sätt dagens datum i fältet revised "
        "(för evidensposter: reviewed), till exempel med kommandot ”handbok revidera FIL”. "
        "Kontakta verksamhetsutvecklaren om något är oklart.",
        "",
        f"Revisionsdatumen finns också som kalenderfil: {digest.slug}.ics (öppna den i Outlook eller annan kalender).",
        "",
    ]
    return "\n".join(lines)


def render_ics(digest: Digest, book, url_of: UrlOf | None) -> bytes:
    """One all-day VEVENT per review deadline and per deadline of the role's quality work; same input
    gives the same bytes."""
    stamp = dt.datetime.combine(book.today, dt.time(0, 0), tzinfo=dt.UTC)
    cal = ics.calendar(PRODID, f"Revisioner och kvalitetsarbete – {digest.role}")
    events = [(doc, "", doc.deadline[0], "Revidera") for doc in digest.documents]
    events += [(doc, "uppfoljning|", doc.next_follow_up, "Följ upp") for doc in digest.follow_up
               if doc.next_follow_up is not None]
    for doc, what, due, verb in events:
        assert due is not None  # follow-ups without a date were left out above
        url = url_of(doc.path) if url_of else None
        owner = doc.owner.label if doc.owner else NO_OWNER
        title = " ".join((doc.title or doc.path).split())
        description = "\n".join([
            f"Dokument: {url}" if url else f"Fil: {doc.path} (site_url saknas i mkdocs.yml)",
            f"Dokumentägare: {owner}",
            f"Typ: {_kind(doc)}",
        ])
        cal.add_component(ics.day_event(f"{doc.path}|{what}{due.isoformat()}", stamp, due, f"{verb}: {title}",
                                        description, url, alarm_days=ALARM_DAYS))
    for key, due, summary, description, url in quality_work.ics_items(digest.work, url_of):
        cal.add_component(ics.day_event(key, stamp, due, summary, description, url, alarm_days=ALARM_DAYS))
    return cal.to_ical()


def render_index(digests: list[Digest], book) -> str:
    lines = ["# Påminnelser om revision", "", f"Sammanställt {book.today.isoformat()}.", ""]
    if not digests:
        return "\n".join(lines + [NOTHING, ""])
    overdue = sum(len(d.overdue) for d in digests)
    soon = sum(len(d.due_soon) for d in digests)
    follow = sum(len(d.follow_up) for d in digests)
    also = f", och {follow} att följa upp," if follow else ""
    lines += [f"{_late(overdue)} och {soon} snart förfallande dokument{also} hos {len(digests)} dokumentägare.", ""]
    for digest in digests:
        extra = f", {len(digest.follow_up)} att följa upp" if digest.follow_up else ""
        if digest.work:
            extra += f", kvalitetsarbete: {_work_needs(digest.work)}"
        lines.append(f"- {_md(digest.role)}: {_late(len(digest.overdue))}, {len(digest.due_soon)} snart dags{extra} "
                     f"– {digest.slug}.md, {digest.slug}.ics")
    return "\n".join(lines + [""])


# --------------------------------------------------------------------------- writing


def _previous_files(output_dir: Path) -> set[str]:
    """Files an earlier run wrote, from the marker; OutputError if the folder holds anything else."""
    if not output_dir.exists():
        return set()
    if not output_dir.is_dir():
        raise OutputError(f"”{output_dir}” finns redan och är ingen mapp.")
    present = {p.name for p in output_dir.iterdir()}
    if not present:
        return set()
    marker = output_dir / MARKER
    if MARKER not in present or not marker.is_file():
        raise OutputError(f"Mappen ”{output_dir}” innehåller filer som ”handbok påminnelser” inte har skapat. "
                          "Välj en tom eller ny mapp med -o – befintliga filer skrivs aldrig över.")
    try:
        listed = {line.strip() for line in marker.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")}
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"{marker}: kan inte läsas ({exc})") from None
    ours = {name for name in listed if _SAFE_NAME.match(name) or name == "index.md"}
    foreign = sorted(present - ours - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise OutputError(f"Mappen ”{output_dir}” innehåller filer som ”handbok påminnelser” inte har skapat "
                          f"({shown}). Flytta dem eller välj en annan mapp med -o – de skrivs aldrig över.")
    return ours


def write_output(output_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the files (replacing the command's own earlier files), then the marker. Returns written paths."""
    previous = _previous_files(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    marker = output_dir / MARKER
    # The marker lists both old and new names while writing, so an interrupted run can be rerun.
    write_file(marker, _marker_text(previous | set(files)), replace=True)
    written = []
    for name, data in files.items():
        target = output_dir / name
        write_file(target, data, replace=True)
        written.append(target)
    for stale in sorted(previous - set(files)):
        (output_dir / stale).unlink(missing_ok=True)
    write_file(marker, _marker_text(set(files)), replace=True)
    return written


def _marker_text(names: set[str]) -> bytes:
    return (_MARKER_HEAD + "".join(f"{n}\n" for n in sorted(names))).encode("utf-8")


YEAR_CALENDAR = "arshjul.ics"


def build_files(digests: list[Digest], book, url_of: UrlOf | None) -> dict[str, bytes]:
    files = {"index.md": render_index(digests, book).encode("utf-8")}
    if quality_work.quality.all_events(book):
        files[YEAR_CALENDAR] = quality_work.year_ics(book, url_of)
    for digest in digests:
        files[f"{digest.slug}.md"] = render_digest(digest, book, url_of).encode("utf-8")
        files[f"{digest.slug}.ics"] = render_ics(digest, book, url_of)
    return files


# --------------------------------------------------------------------------- e-mail


def load_addresses(environ) -> dict[str, list[str]]:
    """role name or id (casefolded) -> addresses, from the YAML file in HANDBOK_ADDRESSES."""
    name = (environ.get("HANDBOK_ADDRESSES") or "").strip()
    if not name:
        return {}
    path = Path(name)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"HANDBOK_ADDRESSES: filen ”{path}” kan inte läsas ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"HANDBOK_ADDRESSES: ”{path}” är inte giltig YAML i UTF-8 ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"HANDBOK_ADDRESSES: ”{path}” ska innehålla rader på formen ”Roll: namn@exempel.se”")
    result: dict[str, list[str]] = {}
    for role, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and "@" in v for v in values) or not values:
            raise ConfigError(f"HANDBOK_ADDRESSES: ”{path}”: rollen ”{role}” har ingen giltig e-postadress ({value!r})")
        result[str(role).casefold()] = [v.strip() for v in values]
    return result


def recipients(digest: Digest, addresses: dict[str, list[str]]) -> list[str]:
    if digest.emails:
        return digest.emails
    for key in [digest.role, *sorted(digest.role_ids)]:
        found = addresses.get(key.casefold())
        if found:
            return found
    return []


def subject(digest: Digest) -> str:
    count = len(digest.documents)
    late = f" ({_late(len(digest.overdue))})" if digest.overdue else ""
    follow = f"{len(digest.follow_up)} att följa upp" if digest.follow_up else ""
    if digest.work:
        follow = ", ".join(p for p in (follow, f"kvalitetsarbete: {_work_needs(digest.work)}") if p)
    if not count:
        return f"Verksamhetshandboken: {follow}"
    return f"Verksamhetshandboken: {count} dokument att revidera{late}" + (f", {follow}" if follow else "")


def build_message(digest: Digest, to: list[str], sender: str, body: str, ics: bytes) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(digest)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="handbok")
    message.set_content(body)
    message.add_attachment(ics, maintype="text", subtype="calendar", filename=f"{digest.slug}.ics",
                           params={"method": "PUBLISH"})
    return message


_TRUE = ("1", "true", "yes", "ja", "on")
_FALSE = ("", "0", "false", "no", "nej", "off")


@dataclass
class SmtpLogin:
    """How to reach the server: STARTTLS or not, and the login (from the environment only)."""

    starttls: bool
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # repr=False: never in a traceback or log line

    def mask(self, text: str) -> str:
        """text with the password (as given and as SMTP AUTH encodes it) replaced by ****."""
        if not self.password:
            return text
        secrets = {self.password, _b64(self.password)}
        if self.user:
            secrets |= {_b64(f"\0{self.user}\0{self.password}"), _b64(f"{self.user}\0{self.password}")}
        for secret in sorted(secrets, key=len, reverse=True):
            text = text.replace(secret, "****")
        return text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _is_local(host: str) -> bool:
    """Does host name this machine? Only then may a password travel unencrypted (it never leaves it)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def smtp_login(environ, host: str) -> SmtpLogin:
    """STARTTLS and login from HANDBOK_SMTP_STARTTLS, HANDBOK_SMTP_USER and HANDBOK_SMTP_PASSWORD.

    ConfigError (Swedish, without the password) when they do not fit together."""
    flag = (environ.get("HANDBOK_SMTP_STARTTLS") or "").strip().casefold()
    if flag not in _TRUE + _FALSE:
        raise ConfigError(f"HANDBOK_SMTP_STARTTLS=”{flag}” ska vara 1 (använd STARTTLS) eller 0.")
    starttls = flag in _TRUE
    user = (environ.get("HANDBOK_SMTP_USER") or "").strip()
    password = environ.get("HANDBOK_SMTP_PASSWORD") or ""
    if bool(user) != bool(password):
        given, missing = ("HANDBOK_SMTP_USER", "HANDBOK_SMTP_PASSWORD") if user else \
            ("HANDBOK_SMTP_PASSWORD", "HANDBOK_SMTP_USER")
        raise ConfigError(f"{given} är satt men inte {missing}; sätt båda för att logga in på e-postservern, "
                          "eller ingen av dem.")
    if not user:
        return SmtpLogin(starttls)
    if not starttls and not _is_local(host):
        raise ConfigError("inloggning på e-postservern kräver en krypterad förbindelse, annars skickas lösenordet "
                          "i klartext över nätverket; sätt HANDBOK_SMTP_STARTTLS=1 (och vid behov "
                          "HANDBOK_SMTP_PORT=587).")
    return SmtpLogin(starttls, user, password)


def _open(smtp: smtplib.SMTP, login: SmtpLogin) -> None:
    """Encrypt and log in, in that order, on a freshly connected server."""
    if login.starttls:
        smtp.starttls(context=ssl.create_default_context())
    if login.user and login.password:
        smtp.login(login.user, login.password)


def _failure(exc: Exception) -> str:
    """What went wrong, in Swedish where we know the case (the caller masks the password)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "e-postservern godtog inte inloggningen; kontrollera HANDBOK_SMTP_USER och HANDBOK_SMTP_PASSWORD"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"e-postservern stöder inte det som krävs ({exc}); kontrollera HANDBOK_SMTP_STARTTLS och porten"
    if isinstance(exc, UnicodeError):  # smtplib sends the login as ASCII
        return ("användarnamnet och lösenordet kan bara skickas om de består av tecknen a–z, 0–9 och vanliga "
                "skiljetecken (inte å, ä eller ö)")
    if isinstance(exc, ssl.SSLError):
        return f"den krypterade förbindelsen gick inte att upprätta ({exc})"
    return f"{type(exc).__name__}: {exc}"


def _send(digests, files, environ, out: TextIO, err: TextIO) -> int:
    host = (environ.get("HANDBOK_SMTP_HOST") or "").strip()
    if not host:
        print("handbok påminnelser: --send kräver en e-postserver – sätt HANDBOK_SMTP_HOST (och HANDBOK_SMTP_FROM, "
              "ev. HANDBOK_SMTP_PORT). Inget skickades; filerna ovan är skrivna.", file=err)
        return 2
    sender = (environ.get("HANDBOK_SMTP_FROM") or "").strip()
    if not sender:
        print("handbok påminnelser: sätt HANDBOK_SMTP_FROM till avsändaradressen. Inget skickades.", file=err)
        return 2
    port_text = (environ.get("HANDBOK_SMTP_PORT") or "25").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        print(f"handbok påminnelser: HANDBOK_SMTP_PORT=”{port_text}” är inget portnummer. Inget skickades.", file=err)
        return 2
    try:
        login = smtp_login(environ, host)
    except ConfigError as exc:
        print(f"handbok påminnelser: {exc} Inget skickades.", file=err)
        return 2
    addresses = load_addresses(environ)
    missing = []
    try:
        with smtplib.SMTP(host, int(port_text), timeout=30) as smtp:
            _open(smtp, login)
            for digest in digests:
                to = recipients(digest, addresses)
                if not to:
                    missing.append(digest.role)
                    continue
                message = build_message(digest, to, sender, files[f"{digest.slug}.md"].decode("utf-8"),
                                        files[f"{digest.slug}.ics"])
                smtp.send_message(message)
                print(f"Skickade till {digest.role} <{', '.join(to)}>: {message['Subject']}", file=out)
    except (OSError, smtplib.SMTPException, UnicodeError) as exc:
        # Server replies can echo what the client sent: mask the password in whatever is printed.
        print(login.mask(f"handbok påminnelser: kunde inte skicka via {host}:{port_text} ({_failure(exc)})."),
              file=err)
        return 1
    for role in missing:
        print(f"handbok påminnelser: ingen e-postadress för ”{role}” – ange owner.email i dokumenten eller rollen i "
              "filen som HANDBOK_ADDRESSES pekar på. Påminnelsen skickades inte.", file=err)
    return 1 if missing else 0


def _dry_run(digests, environ, out: TextIO) -> None:
    addresses = load_addresses(environ)
    for digest in digests:
        to = recipients(digest, addresses)
        target = ", ".join(to) if to else "ingen e-postadress känd"
        print(f"Torrkörning: skulle skicka ”{subject(digest)}” till {digest.role} <{target}> "
              f"med {digest.slug}.ics bifogad.", file=out)
    print("Inget e-postmeddelande skickades. Använd --send (och HANDBOK_SMTP_HOST, HANDBOK_SMTP_FROM) för att skicka.",
          file=out)


# --------------------------------------------------------------------------- command


def run(book, output_dir: Path, *, url_of: UrlOf | None = None, send: bool = False,
        environ=None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Write digests, calendars and index.md; optionally send mail. Exit code 0, 1 (send failed) or 2."""
    environ = os.environ if environ is None else environ
    out = out or sys.stdout
    err = err or sys.stderr
    output_dir = Path(output_dir)
    try:
        if output_dir.resolve().is_relative_to(Path(book.docs_dir).resolve()):
            raise OutputError(f"Mappen ”{output_dir}” ligger i handbokens mapp; påminnelserna skulle då bli sidor "
                              "på webbplatsen. Välj en mapp utanför, t.ex. -o påminnelser.")
        digests = collect(book)
        files = build_files(digests, book, url_of)
        written = write_output(output_dir, files)
    except OutputError as exc:
        print(f"handbok påminnelser: {exc}", file=err)
        return 2
    except OSError as exc:
        print(f"handbok påminnelser: kan inte skriva i ”{output_dir}” ({exc.strerror or exc}).", file=err)
        return 2
    for path in written:
        print(f"Skrev {path}", file=out)
    if not digests:
        print(NOTHING, file=out)
        return 0
    if send:
        return _send(digests, files, environ, out, err)
    _dry_run(digests, environ, out)
    return 0
