"""Where evidence files live: local disk by default, behind an interface an S3-compatible store can
implement. Files are checked before they are kept: size, type by name, and that the content really
is of that type (a renamed executable is not a PDF)."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Protocol

from canopy_kit.errors import Invalid, TooLarge, UnsupportedMedia
from portfolio.settings import PortfolioSettings

FORM_ALLOWANCE = 64 * 1024  # the form's other fields and boundaries around an uploaded file
OFFICE = b"PK\x03\x04"  # docx, xlsx and pptx are zip files
ALLOWED = {  # extension -> (content type, how the file must start)
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (OFFICE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (OFFICE,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (OFFICE,)),
    ".txt": ("text/plain", ()),
}


class EvidenceStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


class LocalDiskStore:
    def __init__(self, root: Path):
        self.root = root

    def put(self, data: bytes) -> str:
        key = uuid.uuid4().hex
        folder = self.root / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)
        return key

    def get(self, key: str) -> bytes:
        return (self.root / key[:2] / key).read_bytes()


def evidence_store(settings: PortfolioSettings) -> EvidenceStore:
    """``PORTFOLIO_EVIDENCE_DIR`` (default ``<data dir>/evidence``); another store plugs in here."""
    return LocalDiskStore(settings.evidence_root)


def check_file(filename: str, data: bytes, limit: int) -> str:
    """The content type to keep, or the refusal naming what is wrong."""
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {limit // (1024 * 1024)} MB", errors={"file": ["too large"]})
    if not data:
        raise Invalid("the file is empty", errors={"file": ["empty"]})
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED:
        raise UnsupportedMedia(f"files of type {extension or '(none)'} are not accepted; use one of "
                               f"{', '.join(sorted(ALLOWED))}", errors={"file": ["type not accepted"]})
    content_type, signatures = ALLOWED[extension]
    if signatures and not any(data.startswith(s) for s in signatures):
        raise UnsupportedMedia(f"the file's content is not {extension}", errors={"file": ["content does not match"]})
    if extension == ".txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnsupportedMedia("a .txt file must be UTF-8 text", errors={"file": ["not text"]}) from None
    return content_type
