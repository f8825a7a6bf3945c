"""Problems found in a handbook: one shape for the CLI, CI reports and build warnings.

Every problem code is registered in CODES, with how it is reported and what it means:
the site build (which codes stop `mkdocs build --strict`), the GitLab report (which are
critical) and the generated code table in docs/ci.md all read this one table. A Problem
with an unregistered code raises at once, so a misspelt code fails the tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class ProblemCode:
    """What one problem code means, and how it is reported."""

    severity: str  # ERROR | WARNING: the severity every call site reports it with
    blocks_build: bool  # fails `mkdocs build --strict` (errors only: staff must always get the handbook)
    explanation: str  # Swedish, one sentence for a routine owner: what is wrong and what to do
    critical: bool = False  # "critical" in the GitLab Code Quality report

    def __post_init__(self):
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.blocks_build and self.severity != ERROR:
            raise ValueError("only errors can block the build")


def _error(explanation: str, *, blocks_build: bool = True, critical: bool = False) -> ProblemCode:
    return ProblemCode(ERROR, blocks_build, explanation, critical)


def _warning(explanation: str) -> ProblemCode:
    return ProblemCode(WARNING, False, explanation)


# Order is the documentation order (docs/ci.md): reading the file, its fields, references,
# review dates, personal data, then the handbook as a whole.
CODES: dict[str, ProblemCode] = {
    "invalid-file": _error(
        "Filen kunde inte läsas från disken; kontrollera att den finns och att den går att öppna, "
        "eller be den som sköter servern om hjälp."),
    "invalid-encoding": _error(
        "Filen är inte sparad som UTF-8, så å, ä och ö blir fel; spara om den med teckenkodningen UTF-8."),
    "invalid-frontmatter": _error(
        "Dokumentet saknar ett metadatablock (front matter) eller så är blocket inte avgränsat rätt; "
        "börja filen med en rad ”---”, skriv fälten och avsluta med en rad ”---”."),
    "invalid-yaml": _error(
        "Metadatan går inte att läsa, oftast för att ett citattecken aldrig stängs eller för att indraget är fel; "
        "rätta raden som meddelandet anger."),
    "invalid-missing-field": _error(
        "Ett obligatoriskt fält saknas eller är tomt; fyll i fältet som meddelandet nämner."),
    "invalid-value": _error(
        "Ett fält har ett värde av fel sort, till exempel ett datum som inte finns, en okänd dokumenttyp "
        "eller ett fält som står två gånger; rätta värdet så som meddelandet beskriver."),
    "unknown-key": _warning(
        "Dokumentet har ett fält som handboken inte känner till, ofta på grund av ett stavfel; "
        "rätta stavningen eller ta bort fältet."),
    "heading-differs": _warning(
        "Sidan har en egen huvudrubrik (# …) som inte är densamma som dokumentets titel, så sidan får två namn; "
        "ta bort rubriken, så blir titeln sidans rubrik, eller skriv rubriken likadant som titeln."),
    "duplicate-id": _error(
        "Två dokument har samma ”id”; ge det ena dokumentet ett annat id som ingen annan använder."),
    "unknown-role": _error(
        "En roll, till exempel dokumentägaren, finns inte i rollregistret; skriv rollen som den står i registret "
        "eller be administratören lägga till den."),
    "unknown-unit": _error(
        "Enheten finns inte i enhetsregistret; skriv enheten som den står i registret "
        "eller be administratören lägga till den."),
    "unknown-area": _error(
        "Ett verksamhetsområde i en post i evidensbiblioteket finns inte i enhetsregistret; skriv det som det står "
        "i registret eller be administratören lägga till det."),
    "unknown-document": _error(
        "En hänvisning till ett annat dokument (relaterat dokument, ersättare eller rutin för en aktivitet) "
        "pekar på ett dokument som inte finns; rätta id:t eller sökvägen."),
    "unknown-evidence": _error(
        "En hänvisning till evidensbiblioteket pekar på en post som inte finns; rätta id:t eller lägg till posten."),
    "unknown-reference": _error(
        "Ett lagrum i ”legal_basis” går inte att tolka eller finns inte i lagrumsregistret; skriv det på formen "
        "”SoL 14 kap. 2 §” eller be administratören lägga till författningen."),
    "unknown-law": _warning(
        "Lagrummet har ett giltigt SFS- eller FS-nummer som inte finns i lagrumsregistret, så handboken kan inte "
        "visa titel, länk eller om författningen gäller; kontrollera numret och be administratören lägga till "
        "författningen i sajtens lagrumsregister (laws_file)."),
    "missing-file": _error(
        "Filen som en post i evidensbiblioteket bifogar finns inte eller ligger utanför handboken; "
        "lägg filen bredvid posten och rätta sökvägen i fältet ”file”."),
    "unsafe-template": _error(
        "Sidan använder mallkod ({{ … }} eller {% … %}) som handboken inte tillåter, till exempel inställningar, "
        "systemvariabler eller filer utanför mappen för delade textblock; använd bara handbokens makron och "
        "variabler (se ”Makron” i docs/administration.md).", critical=True),
    "unsafe-html": _error(
        "Texten innehåller HTML som kan köra kod i läsarens webbläsare (till exempel <script>, onclick= eller en "
        "javascript:-länk) eller som webbplatsen inte tillåter, och det tas bort ur den publicerade sidan; skriv "
        "texten i Markdown eller med tillåten HTML.",
        critical=True),
    "unsafe-attachment": _error(
        "En bifogad fil eller länkad fil är av en typ som inte får publiceras på intranätet (till exempel .html, "
        ".js, körbara program eller SVG med skript); spara den som PDF, Office-dokument, bild eller ren text.",
        critical=True),
    "approver-not-allowed": _warning(
        "Den som står i ”approved_by” får enligt rollregistret inte fastställa den här dokumenttypen; kontrollera "
        "vem som beslutade, eller be administratören rätta beslutsordningen i rollregistret."),
    "missing-decision": _warning(
        "Ett gällande styrdokument saknar uppgift om beslut; fyll i ”approved_by” (vem som fastställde det) och "
        "”approved” (beslutsdatum)."),
    "decision-required": _error(
        "Ett gällande styrdokument saknar uppgift om beslut, och handboken kräver att varje gällande dokument är "
        "fastställt; fyll i ”approved_by” och ”approved” (sajten byggs ändå).", blocks_build=False),
    "date-conflict": _error(
        "Två datum i dokumenthuvudet säger emot varandra eller ligger i framtiden, till exempel ett beslutsdatum "
        "efter dagens datum eller en revision som ska ske före den senaste; rätta datumet som meddelandet nämner "
        "(sajten byggs ändå).", blocks_build=False),
    "repealed-law": _warning(
        "Dokumentet hänvisar till en författning som har upphävts; se över lagrummen och hänvisa till "
        "den författning som gäller i dag."),
    "overdue": _error(
        "Datumet för nästa revision har passerat; se över dokumentet och skriv in det nya revisionsdatumet "
        "(sajten byggs ändå, så att personalen alltid kan läsa handboken).",
        blocks_build=False, critical=True),
    "due-soon": _warning(
        "Det är snart dags att revidera dokumentet; dokumentägaren bör planera in genomgången före datumet "
        "i meddelandet."),
    "follow-up-overdue": _warning(
        "Dokumentet skulle ha följts upp enligt ”follow_up_interval” men har inte gjort det; gå igenom om det "
        "fortfarande stämmer och skriv in datumet i ”followed_up”."),
    "follow-up-due-soon": _warning(
        "Det är snart dags att följa upp dokumentet enligt ”follow_up_interval”; dokumentägaren bör planera in "
        "uppföljningen före datumet i meddelandet."),
    "measure-overdue": _error(
        "En förbättrande åtgärd skulle ha varit genomförd men har fortfarande status planerad eller pågår; "
        "genomför den och skriv in ”completed”, eller flytta ”due” om planen har ändrats (sajten byggs ändå).",
        blocks_build=False, critical=True),
    "measure-due-soon": _warning(
        "En förbättrande åtgärd ska snart vara genomförd; den ansvariga bör planera in den före datumet i "
        "meddelandet."),
    "measure-effect-missing": _warning(
        "En genomförd åtgärd skulle ha följts upp (”effect_check”) men det står inte vad uppföljningen visade; "
        "skriv resultatet i ”effect”."),
    "control-missing": _error(
        "En planerad kontroll i en egenkontroll- eller internkontrollplan saknar resultat för en period som har "
        "passerat; gör kontrollen och skriv ett kontrollresultat, eller ändra planen (sajten byggs ändå).",
        blocks_build=False, critical=True),
    "unknown-control": _error(
        "Ett kontrollresultat pekar inte på någon planerad kontroll (”control” ska vara planens id, #, kontrollens "
        "id), eller perioden ligger utanför planens år; rätta hänvisningen eller perioden (sajten byggs ändå).",
        blocks_build=False),
    "activity-missing": _warning(
        "En aktivitet i årshjulet skulle ha gett en post (till exempel en riskanalys eller en sammanställning) men "
        "ingen sådan finns från perioden; skriv posten, eller ändra årshjulet."),
    "unknown-goal": _error(
        "Ett mål eller en indikator i en målplan pekar på ett mål som inte finns i planen (”parent” eller ”goal”), "
        "eller ett mål hänger under ett mål på fel nivå; rätta id:t eller nivån (sajten byggs ändå).",
        blocks_build=False),
    "indicator-result-missing": _warning(
        "En indikator saknar värde för en period som har tagit slut; hämta värdet (till exempel ur Kolada eller "
        "verksamhetssystemet) och skriv det under ”results”, eller ändra indikatorns ”frequency”."),
    "personal-data": _error(
        "Texten innehåller ett personnummer eller samordningsnummer, och en handbok får aldrig innehålla uppgifter "
        "om enskilda; ta bort numret eller byt det mot ett påhittat exempel.", critical=True),
    "personal-data-accepted": _warning(
        "Ett personnummer som uttryckligen är godkänt (markerat som exempel eller ett av Skatteverkets "
        "testnummer) listas bara för kännedom i kontrollens rapport, och ingen åtgärd behövs."),
    "uncovered-requirement": _warning(
        "Ett krav i SOSFS 2011:9 täcks inte av något gällande dokument; ange lagrummet i ”legal_basis” i det "
        "dokument som uppfyller kravet, eller skriv ett sådant dokument."),
    "process-without-activities": _warning(
        "Processen beskriver inga aktiviteter; skriv in processens steg i ordning i fältet ”activities”."),
    "activity-without-routine": _warning(
        "En aktivitet i processen saknar rutin; ange i ”routine” vilken rutin som beskriver hur och av vem "
        "aktiviteten utförs."),
}


@dataclass(frozen=True)
class Problem:
    path: str | None  # relative to the docs dir, POSIX separators; None for handbook-wide problems
    line: int | None
    severity: str  # ERROR | WARNING
    code: str  # a key of CODES
    message: str  # Swedish, complete on its own (names the field where there is one)
    field: str | None = None
    owner: str | None = None  # dokumentägare, for grouping reports by who must act
    days: int | None = None  # days overdue (positive) or left (for due-soon)

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}: add it to CODES in handbok/core/problems.py")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def blocks_build(self) -> bool:
        """Does this problem fail `mkdocs build --strict`?"""
        return self.is_error and CODES[self.code].blocks_build

    def location(self) -> str:
        if self.path is None:
            return "handboken"
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict:
        data = asdict(self)
        return {k: v for k, v in data.items() if v is not None or k in ("path", "line")}

    def sort_key(self) -> tuple:
        return (self.path or "", self.line or 0, self.code)
