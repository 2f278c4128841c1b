"""Reading an import: a folder or a zip of CSV files, decoded line by line and parsed safely.

Nothing here trusts the input. A zip entry may not point outside the folder, be a link, be
encrypted or expand far beyond its compressed size; a line may not be longer than a megabyte
or a cell longer than 100,000 characters; bytes that are not UTF-8 are reported with their
line and the record they belong to is skipped. Every problem becomes a `Problem`, reported as
`file:line: column: message` (IMPORT.md), and reading goes on so that all of them are found.
"""

from __future__ import annotations

import csv
import io
import stat
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

# In the order they are checked and written: each may refer only to the ones before it.
FILES = (
    "hubs.csv",
    "funders.csv",
    "spokes.csv",
    "staff.csv",
    "cases.csv",
    "referrals.csv",
    "sessions.csv",
    "assessments.csv",
    "groupwork.csv",
    "training.csv",
    "consultations.csv",
)
# The files whose rows each file's rows refer to (a hub, spoke, member of staff or case): when
# one of these could not be read, the rows that depend on it are not checked (every one would
# be a follow-on problem). `FILES` is in this order.
DEPENDS_ON = {
    "hubs.csv": (),
    "funders.csv": ("hubs.csv",),
    "spokes.csv": ("hubs.csv",),
    "staff.csv": ("hubs.csv", "spokes.csv", "funders.csv"),
    "cases.csv": ("spokes.csv", "staff.csv"),
    "referrals.csv": ("hubs.csv", "cases.csv"),
    "sessions.csv": ("cases.csv", "staff.csv"),
    "assessments.csv": ("cases.csv", "staff.csv"),
    "groupwork.csv": ("spokes.csv",),
    "training.csv": ("spokes.csv",),
    "consultations.csv": ("spokes.csv",),
}
# The columns of each file (IMPORT.md): every one must be in the header, in any order.
COLUMNS = {
    "funders.csv": ("funder_ref", "name", "funded_hub_refs"),
    "hubs.csv": ("hub_ref", "name", "home_la"),
    "spokes.csv": ("spoke_ref", "hub_ref", "la", "host_agency", "model", "start_date", "end_date"),
    "staff.csv": (
        "email",
        "full_name",
        "role",
        "hub_refs",
        "spoke_ref",
        "funder_ref",
        "fte",
        "background",
        "qualifications",
        "years_experience",
    ),
    "referrals.csv": (
        "referral_ref",
        "hub_ref",
        "received_on",
        "source",
        "referrer_agency",
        "person_ref",
        "decision",
        "decided_on",
        "decline_reason",
        "case_ref",
    ),
    "cases.csv": (
        "case_ref",
        "person_ref",
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "disability",
        "la",
        "spoke_ref",
        "worker_email",
        "opened_on",
        "closed_on",
        "closure_reason",
        "no_reduction_reason",
    ),
    "sessions.csv": (
        "case_ref",
        "date",
        "worker_email",
        "duration_minutes",
        "contact_method",
        "venue_type",
        "chosen_by_young_person",
        "attendance",
        "young_person_words",
    ),
    "assessments.csv": (
        "case_ref",
        "date",
        "kind",
        "level",
        "assessor_email",
        "young_person_view",
    ),
    "groupwork.csv": ("spoke_ref", "date", "setting", "title", "young_people"),
    "training.csv": ("spoke_ref", "date", "title", "kind", "profession", "attendees"),
    "consultations.csv": ("spoke_ref", "date", "professional_role", "agency", "minutes"),
}

MAX_LINE_BYTES = 1_000_000
MAX_CELL_CHARS = 100_000
MAX_RECORD_LINES = 1_000  # one record (a row with quoted line breaks) may span this many lines
MAX_RECORD_BYTES = 2_000_000  # and this many bytes (a real row is far smaller)
MAX_ZIP_ENTRIES = 200
MAX_PROBLEMS = 100_000  # past this, checking stops: the files need fixing first
BOM = b"\xef\xbb\xbf"

# What reading a damaged zip entry, or one packed with a method Python lacks, can raise.
UNREADABLE = (OSError, EOFError, ValueError, zlib.error, zipfile.BadZipFile, NotImplementedError)

csv.field_size_limit(MAX_CELL_CHARS)


class TooManyProblems(Exception):
    """Raised when MAX_PROBLEMS have been found: reading stops there."""


class _RecordTooLong(Exception):
    pass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class SourceFile:
    """One CSV file of the import, opened on demand (from the folder or from inside the zip)."""

    name: str
    size: int
    open: Callable[[], BinaryIO]


def _file_list() -> str:
    return ", ".join(FILES)


def from_folder(folder: Path) -> tuple[list[SourceFile], list[Problem]]:
    """The CSV files of a folder. Anything else in it (other than hidden files) is a problem:
    a misspelt file name would otherwise be skipped without a word."""
    problems: list[Problem] = []
    files: list[SourceFile] = []
    if not folder.is_dir():
        return [], [Problem(str(folder), 0, "folder", "there is no folder here.")]
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        name = path.name.lower()
        if path.is_symlink() or not path.is_file():
            problems.append(
                Problem(path.name, 0, "file", "not a plain file; put only the CSV files here.")
            )
        elif name not in FILES:
            problems.append(
                Problem(
                    path.name, 0, "file", f"not a file Alexi imports (those are {_file_list()})."
                )
            )
        else:
            files.append(SourceFile(name, path.stat().st_size, lambda p=path: p.open("rb")))
    return files, problems


def from_zip(
    data: BinaryIO, label: str, max_total: int | None = None
) -> tuple[list[SourceFile], list[Problem]]:
    """The CSV files inside a zip, checked before anything is read: every entry must be a plain
    file at the top (or inside one top folder), with no path leading out of it. Each entry is
    read no further than its declared size, and `max_total` caps the declared sizes' sum (so a
    small zip cannot unpack into more than the server should read)."""
    problems: list[Problem] = []
    try:
        archive = zipfile.ZipFile(data)
        infos = archive.infolist()
    except UNREADABLE:
        return [], [Problem(label, 0, "zip", "this is not a zip file Alexi can read.")]
    if len(infos) > MAX_ZIP_ENTRIES:
        return [], [
            Problem(
                label,
                0,
                "zip",
                f"this zip holds {len(infos):,} entries; an import has at most {len(FILES)} files.",
            )
        ]

    def refuse(entry: str, message: str) -> None:
        problems.append(Problem(label, 0, entry, message))

    entries: list[tuple[PurePosixPath, zipfile.ZipInfo]] = []
    for info in infos:
        raw = info.filename
        path = PurePosixPath(raw.replace("\\", "/"))
        if not path.parts or path.name in ("", "."):
            if not info.is_dir():
                refuse(raw or "(no name)", "this entry has no file name.")
            continue
        if (
            raw.startswith(("/", "\\"))
            or ".." in path.parts
            or (path.parts and ":" in path.parts[0])
        ):
            refuse(raw, "this entry points outside the folder; nothing was imported.")
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            refuse(raw, "this entry is a link; put only the CSV files in the zip.")
            continue
        if info.is_dir() or path.name.startswith(".") or path.parts[0] == "__MACOSX":
            continue
        if info.flag_bits & 0x1:
            refuse(raw, "this entry is encrypted; zip the files without a password.")
            continue
        entries.append((path, info))

    tops = {path.parts[0] for path, _ in entries if len(path.parts) > 1}
    files: list[SourceFile] = []
    seen: set[str] = set()
    total = 0
    for path, info in entries:
        depth_ok = len(path.parts) == 1 or (len(path.parts) == 2 and len(tops) == 1)
        name = path.name.lower()
        if not depth_ok:
            refuse(info.filename, "put the CSV files at the top of the zip (or in one folder).")
        elif name not in FILES:
            refuse(info.filename, f"not a file Alexi imports (those are {_file_list()}).")
        elif name in seen:
            refuse(info.filename, f"{name} is in the zip twice.")
        else:
            seen.add(name)
            total += info.file_size
            files.append(SourceFile(name, info.file_size, _zip_opener(archive, info)))
    if max_total is not None and total > max_total:
        refuse(
            "zip",
            f"the files come to {total / 2**20:,.0f} MB unzipped; the most Alexi reads from an "
            f"upload is {max_total / 2**20:,.0f} MB. Split the import into parts.",
        )
        return [], problems
    return files, problems


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        # Buffered: readline() on the raw stream would read one byte at a time.
        return io.BufferedReader(_Capped(archive.open(info), info.file_size), 1 << 16)

    return opener


class _Capped(io.RawIOBase):
    """A zip entry that may not yield more bytes than its header declared."""

    def __init__(self, inner: BinaryIO, limit: int):
        self.inner = inner
        self.left = limit + 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(min(len(buffer), self.left))
        self.left -= len(data)
        if self.left <= 0:
            raise OSError("zip entry is larger than it says")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


@dataclass
class Record:
    line: int  # the line the record starts on (the header is line 1)
    cells: list[str]


class CsvFile:
    """Records of one file, with the header checked against the expected columns.

    `bytes_read` grows as the file is read, for progress. Problems are added to `problems`.
    `complete` turns False when the file, or its header, could not be read, or reading it had
    to stop before its end: then some of its rows are missing from what was checked.
    """

    def __init__(self, source: SourceFile, columns: tuple[str, ...], problems: list[Problem]):
        self.source = source
        self.name = source.name
        self.columns = columns
        self.problems = problems
        self.bytes_read = 0
        self.complete = True
        self.index: dict[str, int] = {}
        self._bad_lines: set[int] = set()
        self._record_start = 1
        self._record_start_bytes = 0

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise TooManyProblems

    def _lines(self, raw: BinaryIO) -> Iterator[str]:
        number = 0
        while True:
            chunk = raw.readline(MAX_LINE_BYTES)
            if not chunk:
                return
            number += 1
            self.bytes_read += len(chunk)
            if (
                number - self._record_start >= MAX_RECORD_LINES
                or self.bytes_read - self._record_start_bytes > MAX_RECORD_BYTES
            ):
                raise _RecordTooLong
            if number == 1 and chunk.startswith(BOM):
                chunk = chunk[len(BOM) :]
            if len(chunk) >= MAX_LINE_BYTES and not chunk.endswith(b"\n"):
                self.problem(number, "line", "this line is longer than 1 MB; it was not read.")
                self._bad_lines.add(number)
                while chunk and not chunk.endswith(b"\n"):
                    chunk = raw.readline(MAX_LINE_BYTES)
                    self.bytes_read += len(chunk)
                yield "\n"
                continue
            if b"\x00" in chunk:
                self.problem(
                    number, "line", "this line holds a NUL byte; it does not look like CSV text."
                )
                self._bad_lines.add(number)
                yield "\n"
                continue
            try:
                yield chunk.decode("utf-8")
            except UnicodeDecodeError as error:
                self.problem(
                    number,
                    "line",
                    f"this line is not UTF-8 text (byte 0x{chunk[error.start]:02x} at position "
                    f"{error.start + 1}); save the file as 'CSV UTF-8' and import it again.",
                )
                self._bad_lines.add(number)
                yield chunk.decode("utf-8", errors="replace")

    def records(self) -> Iterator[Record]:
        """Data records (the header is read and checked first). Records with unreadable lines
        or the wrong number of cells are reported and skipped."""
        self.complete = False  # until the end is reached
        self.complete = yield from self._records()

    def check_header(self) -> None:
        """Read and check the header only (and, to find it, at most the first row)."""
        for _record in self._records():
            break

    def _records(self) -> Generator[Record, None, bool]:
        try:
            raw = self.source.open()
        except UNREADABLE:
            self.problem(
                1,
                "file",
                "the file could not be taken out of the zip (it is damaged, or packed in a way "
                "Alexi does not read); zip the files again with ordinary compression.",
            )
            return False
        with raw:
            if self.source.size == 0:
                self.problem(1, "file", "the file is empty; it needs a header row.")
                return False
            reader = csv.reader(self._lines(raw), strict=True)
            last = 0
            data_lines = 0
            header_seen = False
            while True:
                self._record_start = last + 1
                self._record_start_bytes = self.bytes_read
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    start = last + 1
                    last = reader.line_num
                    self.problem(start, "line", _csv_message(error))
                    data_lines += 1
                    continue
                except _RecordTooLong:
                    self.problem(
                        last + 1,
                        "line",
                        f"the row starting here runs over {MAX_RECORD_LINES:,} lines or "
                        f"{MAX_RECORD_BYTES // 1_000_000} MB: a quote is probably missing. The "
                        "rest of the file was not read.",
                    )
                    return False
                except UNREADABLE:
                    self.problem(
                        last + 1, "file", "the file is damaged and could not be read to the end."
                    )
                    return False
                start, last = last + 1, reader.line_num
                data_lines += header_seen
                if any(n in self._bad_lines for n in range(start, last + 1)):
                    if not header_seen:
                        return False  # the header could not be read: the rest would mislead
                    continue
                if not header_seen:
                    header_seen = True
                    if not self._header(cells, start):
                        return False
                    continue
                if not any(cell.strip() for cell in cells):
                    data_lines -= 1
                    continue  # a blank line (spreadsheets often leave some at the end)
                if len(cells) != len(self.index):
                    self.problem(
                        start,
                        "line",
                        f"this row has {len(cells)} cells; the header has {len(self.index)}.",
                    )
                    continue
                yield Record(start, cells)
            if not header_seen:
                self.problem(1, "file", "the file has no header row.")
                return False
            if data_lines == 0:
                self.problem(
                    2,
                    "file",
                    "the file has a header row but no rows; remove it if there is nothing "
                    "to import from it.",
                )
        return True

    def _header(self, cells: list[str], line: int) -> bool:
        names = [cell.strip().lower() for cell in cells]
        ok = True
        seen: set[str] = set()
        for position, name in enumerate(names):
            if name in seen:
                self.problem(line, name or f"column {position + 1}", "this column is there twice.")
                ok = False
            elif name not in self.columns:
                label = name or f"column {position + 1}"
                self.problem(
                    line,
                    label,
                    f"unknown column; {self.name} has the columns {', '.join(self.columns)}.",
                )
                ok = False
            seen.add(name)
        missing = [c for c in self.columns if c not in seen]
        if missing:
            self.problem(
                line,
                ", ".join(missing),
                "missing from the header (every column must be there, even if empty).",
            )
            ok = False
        self.index = {name: position for position, name in enumerate(names)}
        return ok


def _csv_message(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a cell here is longer than {MAX_CELL_CHARS:,} characters; it was not read."
    if "NUL" in text:
        return "this line holds a NUL byte; it does not look like a CSV text file."
    if "unexpected end of data" in text:
        return 'a quoted cell starting here is never closed (a missing ").'
    return f"this line is not valid CSV ({text})."
