"""The docs dir's other files, as the attachment rules (handbok.core.attachments) look at them.

The core decides which files may be published; this is the part that touches the disk:
whether a linked file is there, and the bytes of an SVG image whose content decides.
"""

from __future__ import annotations

from pathlib import Path

# A file larger than this is not read: the rules then refuse it as uncheckable. No real SVG
# illustration in a handbook comes near it, and a build must not read gigabytes into memory.
MAX_READ_BYTES = 20 * 1024 * 1024


class DocsFiles:
    """core.attachments.AttachmentFiles for a docs dir on disk (picklable: the reader's worker
    processes get one each)."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = Path(docs_dir)

    def exists(self, path: str) -> bool:
        try:
            return (self.docs_dir / path).is_file()
        except (OSError, ValueError):  # a name the OS rejects (too long, a NUL byte): not a file of ours
            return False

    def read(self, path: str) -> bytes:
        try:
            with open(self.docs_dir / path, "rb") as handle:
                data = handle.read(MAX_READ_BYTES + 1)
        except ValueError as exc:  # a NUL byte in the name
            raise OSError(str(exc)) from None
        if len(data) > MAX_READ_BYTES:
            raise OSError(f"{path}: större än {MAX_READ_BYTES // (1024 * 1024)} MB")
        return data
