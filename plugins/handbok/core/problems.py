"""Problems found in a handbook: one shape for the CLI, CI reports and build warnings."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str | None  # relative to the docs dir, POSIX separators; None for handbook-wide problems
    line: int | None
    severity: str  # ERROR | WARNING
    code: str
    message: str  # Swedish, complete on its own (names the field where there is one)
    field: str | None = None
    owner: str | None = None  # dokumentägare, for grouping reports by who must act
    days: int | None = None  # days overdue (positive) or left (for due-soon)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        if self.path is None:
            return "handboken"
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict:
        data = asdict(self)
        return {k: v for k, v in data.items() if v is not None or k in ("path", "line")}

    def sort_key(self) -> tuple:
        return (self.path or "", self.line or 0, self.code)
