"""Checking an uploaded zip archive (an XLSX workbook is one) before anything reads it.

A workbook of a few megabytes can hold a sheet that inflates to gigabytes (a "zip bomb"):
openpyxl would inflate and parse all of it, holding a worker for minutes and its memory in
gigabytes. ``check_zip_archive`` refuses such a file from what the archive states and from
what it really holds, before the workbook is opened:

1. from the central directory only (no inflating): the number of members, each member's
   declared size against its compressed size (the ratio cap) and the declared sizes' total
   (the absolute cap);
2. then inflating each member in small chunks, counting the bytes that come out: a member that
   inflates past what it declared, or a total past the absolute cap, stops the count at once.
   Memory stays at one chunk whatever the archive holds.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.utils.translation import gettext as _

from rbm.errors import ApplicationError

# An honest CPO workbook of 20,000 rows inflates to about 30 MB of XML.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
# Sheets of real workbooks compress 5 to 30 times; a bomb compresses about 1,000 times.
MAX_RATIO = 100
# Below this, a member's ratio is not judged: a small file of repeated cells compresses well.
RATIO_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 1000
CHUNK_BYTES = 64 * 1024


class ArchiveRefused(ApplicationError):
    """The archive is damaged or inflates beyond what an upload may hold."""


def _refused(detail: str) -> ArchiveRefused:
    return ArchiveRefused(
        _("This workbook cannot be imported: %(detail)s") % {"detail": detail},
    )


def check_zip_archive(
    content: bytes,
    *,
    max_inflated: int = MAX_INFLATED_BYTES,
    max_ratio: int = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse (``ArchiveRefused``) an archive that is damaged, that states or holds more than
    ``max_inflated`` bytes once inflated, or a member that inflates more than ``max_ratio``
    times its compressed size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ArchiveRefused(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from error
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise _refused(
                _("it holds %(count)s files; a workbook holds at most %(limit)s.")
                % {"count": len(members), "limit": max_members}
            )
        limit_mb = max_inflated // 1024**2
        declared = sum(member.file_size for member in members)
        if declared > max_inflated:
            raise _refused(
                _("it inflates to %(size)s MB; the limit is %(limit)s MB.")
                % {"size": declared // 1024**2, "limit": limit_mb}
            )
        for member in members:
            if member.file_size > RATIO_FROM_BYTES and member.file_size > max_ratio * max(
                member.compress_size, 1
            ):
                raise _refused(
                    _(
                        "its part “%(name)s” inflates %(ratio)s times; no real workbook "
                        "compresses more than %(limit)s times."
                    )
                    % {
                        "name": member.filename,
                        "ratio": member.file_size // max(member.compress_size, 1),
                        "limit": max_ratio,
                    }
                )
        total = 0
        for member in members:
            inflated = 0
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK_BYTES):
                        inflated += len(chunk)
                        total += len(chunk)
                        if inflated > member.file_size or total > max_inflated:
                            raise _refused(
                                _("it inflates to more than it states, or past %(limit)s MB.")
                                % {"limit": limit_mb}
                            )
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
                raise ArchiveRefused(
                    _("This file could not be read as an Excel workbook (.xlsx).")
                ) from error
