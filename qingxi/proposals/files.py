"""Files on a proposal, stored through qingxi.core.photos' one staging helper: answer attachments
(images re-encoded without metadata, PDFs up to MAX_PDF_BYTES, anything else refused with
photos.PhotoError) under attachment_dir(), and result photos beside the reports' photos. Both are
context managers entered before the transaction: every file is checked first (all or nothing), and
the stored files go again if the work fails."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from db.models import ProposalAttachment, ResultPhoto
from qingxi.core import photos
from qingxi.core.settings import current as settings
from qingxi.proposals import checks
from qingxi.proposals.checks import MAX_TITLE, ProposalError

MAX_FILES = 5
MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def attachment_dir(photo_dir: Path | None = None) -> Path:
    """Where answer attachments live: <photo_dir>/attachments, content-addressed."""
    return (photo_dir or settings().photo_dir) / "attachments"


def _count(files: Sequence) -> None:
    if len(files) > MAX_FILES:
        raise ProposalError("too_many_files", most=MAX_FILES)


@contextmanager
def staged_attachments(files: Sequence[tuple[str, bytes]], photo_dir: Path | None
                       ) -> Iterator[list[ProposalAttachment]]:
    """(label, bytes) pairs as attachment rows for an answer."""
    _count(files)
    checked = []
    for label, data in files:
        label = checks.text(label, required=False, most=MAX_TITLE)
        if data[:5] == PDF_MAGIC:
            if len(data) > MAX_PDF_BYTES:
                raise ProposalError("attachment_too_large", mb=MAX_PDF_BYTES // (1024 * 1024))
            checked.append((label, data, None))
        else:
            checked.append((label, data, photos.prepare(data)))  # PhotoError for anything else
    with photos.staging(attachment_dir(photo_dir)) as stage:
        rows = []
        for label, data, image in checked:
            sha = hashlib.sha256(data).hexdigest()
            if image is None:
                saved = stage.file(data, ".pdf")
                rows.append(ProposalAttachment(kind="pdf", label=label, sha256=sha, file_name=saved.public_name,
                                               size=len(data)))
            else:
                staged = stage.photo(image)
                rows.append(ProposalAttachment(kind="image", label=label, sha256=sha,
                                               file_name=staged.saved.public_name,
                                               thumb_name=staged.saved.thumb_name, size=len(image.public)))
        yield rows


@contextmanager
def staged_photos(files: Sequence[bytes], photo_dir: Path | None) -> Iterator[list[ResultPhoto]]:
    """Photo bytes as photo rows for a result or one of its milestones."""
    _count(files)
    with photos.staged(files, photo_dir) as staged:
        yield [ResultPhoto(**f.columns()) for f in staged]
