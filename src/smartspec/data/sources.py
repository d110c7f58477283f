"""One name for a table: a file, a bundled dataset or a table of the evidence store.

An analysis takes one text that says which table to use (``smartspec metrics INPUT``,
or :func:`resolve_table` in Python). :func:`resolve_table` turns it into an
:class:`~smartspec.table.ActivityTable` and a record of where the table came from
(:class:`ResolvedTable`, whose :meth:`~ResolvedTable.provenance` goes into the
provenance of the analysis):

=============================  ==========================================================
what is written                what is read
=============================  ==========================================================
``employment.csv``             a file (CSV, TSV, TXT, also gzipped; Excel; Parquet), read
                               with :func:`~smartspec.data.read_table`
``lfs_employment_nuts2``       a bundled dataset (:mod:`smartspec.datasets`)
``emp``                        the latest version of a table of the evidence store
``emp@2`` or ``emp@v2``        version 2 of it
``file:PATH``,                 only that kind of source
``dataset:NAME``,
``store:NAME[@N]``
=============================  ==========================================================

Which source a bare name means
    Text with a path separator or a suffix (``data/emp.csv``) can only be a file: the
    names of datasets and of stored tables have neither. Any other text is looked up in
    all three places: a file of that name (relative to the working directory), the
    bundled datasets and the evidence store of the data directory. If exactly one has
    it, that is the table. If more than one has it, nothing is picked:
    :class:`AmbiguousTableError` lists them and the prefixes that choose one
    (``store:gdp_nuts2``, ``dataset:gdp_nuts2``). So a script's meaning cannot change
    silently when someone imports a table under the name of a bundled dataset. ``NAME@N``
    asks for a version and so only looks in the store (and at files of that name).
    Dataset and store names are matched case-insensitively (both are lowercase).

Unknown names
    :class:`UnknownTableError` (an :class:`~smartspec.errors.UnknownCodeError`) lists
    the closest names of all three sources: files in the folder, datasets and stored
    tables.

Files
    A file is read as it is: its region codes are not checked against NUTS (the table's
    ``region_scheme`` is ``"custom"``) and no aggregate rows are dropped; measure and unit
    are ``"value"`` and ``"unspecified"`` unless ``file_options`` says otherwise. To have
    a file checked once and named afterwards, import it into the evidence store
    (``smartspec data import FILE --name NAME …``) and name the stored table.

The store is only read: a data directory without an evidence store is not given one.

Examples
--------
>>> import pandas as pd, tempfile
>>> from smartspec.data.store import EvidenceStore
>>> from smartspec.table import ActivityTable
>>> folder = tempfile.mkdtemp()
>>> table = ActivityTable.from_frame(
...     pd.DataFrame({"region": ["SE11", "SE12"], "activity": ["C", "C"], "value": [1.0, 2.0]}),
...     measure="employment", unit="persons", additive=True, nuts_version=2016)
>>> _ = EvidenceStore(folder).put(table, "emp")
>>> found = resolve_table("emp", data_dir=folder)
>>> found.kind, found.label, found.reference
('store', 'emp v1', 'store:emp@1')
>>> resolve_table("world_trade", data_dir=folder).kind
'dataset'
>>> try:
...     resolve_table("empp", data_dir=folder)
... except UnknownTableError as err:
...     print(err.suggestions)
['emp (stored table)']
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from smartspec.config import DataDir
from smartspec.config import data_dir as _data_dir
from smartspec.errors import AmbiguousError, InputError, UnknownCodeError

if TYPE_CHECKING:
    from smartspec.data.store import EvidenceEntry, EvidenceStore
    from smartspec.table import ActivityTable

__all__ = [
    "FILE_DEFAULTS",
    "PREFIXES",
    "AmbiguousTableError",
    "ResolvedTable",
    "SourceSpec",
    "UnknownTableError",
    "parse_source",
    "resolve_table",
]

Kind = Literal["file", "dataset", "store"]

PREFIXES: tuple[Kind, ...] = ("file", "dataset", "store")
"""The prefixes that choose the kind of source: ``file:``, ``dataset:``, ``store:``."""

FILE_DEFAULTS: Mapping[str, Any] = {
    "measure": "value",
    "unit": "unspecified",
    "additive": True,
    "region_scheme": "custom",
}
"""How a file is read unless ``file_options`` says otherwise (see the module notes)."""

_KIND_WORDS: dict[Kind, str] = {
    "file": "file",
    "dataset": "bundled dataset",
    "store": "stored table",
}
_VERSION = re.compile(r"^[vV]?(\d{1,9})$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # = smartspec.data.store.NAME_PATTERN
_TABLE_SUFFIXES = frozenset(
    {".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq"}
)
_MAX_LISTED = 2_000  # files looked at for suggestions


# --------------------------------------------------------------------------- errors
class AmbiguousTableError(AmbiguousError):
    """A name that more than one source has; lists them and how to choose one.

    ``candidates`` are the sources as ``kind:NAME`` texts that resolve unambiguously.
    """

    def __init__(self, query: str, candidates: Sequence[str], described: Sequence[str]) -> None:
        super().__init__("table", query, list(candidates))
        self.args = (
            f"{query!r} names more than one table: {_and_list(described)}; write "
            f"{_or_list(list(candidates))} to choose one",
        )


class UnknownTableError(UnknownCodeError):
    """No file, bundled dataset or stored table has the name; with the closest ones.

    ``suggestions`` are texts such as ``"emp (stored table)"`` or ``"emp.csv (file)"``.
    """

    def __init__(self, query: str, suggestions: Sequence[str], message: str) -> None:
        super().__init__("table", query, suggestions)
        if self.suggestions:
            message += "; did you mean " + _or_list(self.suggestions) + "?"
        self.args = (message,)


# --------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class SourceSpec:
    """What a text asks for: a kind (``None``: any), a name or path, a version.

    Examples
    --------
    >>> parse_source("store:emp@v2")
    SourceSpec(kind='store', name='emp', version=2, text='store:emp@v2')
    >>> parse_source("data/emp.csv").path_like
    True
    """

    kind: Kind | None
    name: str
    version: int | None = None
    text: str = ""

    @property
    def path_like(self) -> bool:
        """Whether the name can only be a path (a separator or a suffix)."""
        return _path_like(self.name)


def parse_source(text: str) -> SourceSpec:
    """Split ``[file:|dataset:|store:]NAME[@N]`` into its parts (nothing is looked up).

    ``@N`` (or ``@vN``) is read as a version after a name that could be a stored table's
    (lowercase letters, digits, ``_`` and ``-``), not after a path.

    Raises
    ------
    InputError
        Empty text, an empty name after a prefix, a version that is not a number, or a
        version of a bundled dataset.
    """
    raw = str(text).strip()
    if not raw:
        raise InputError(
            "no table given",
            hint="give a file, the name of a bundled dataset or of a stored table",
        )
    kind: Kind | None = None
    head, sep, rest = raw.partition(":")
    if sep and head.strip().lower() in PREFIXES:
        kind = cast(Kind, head.strip().lower())
        rest = rest.strip()
        if not rest:
            raise InputError(
                f"{raw!r} names no {_KIND_WORDS[kind]}",
                hint=f"write e.g. {_example(kind)}",
            )
    else:
        rest = raw
    if kind == "file":
        return SourceSpec("file", rest, None, raw)
    name, at, ver = rest.rpartition("@")
    if not at or (kind is None and not _NAME.match(name.strip().lower())):
        return SourceSpec(kind, rest, None, raw)
    name = name.strip()
    found = _VERSION.match(ver.strip())
    if found is None or int(found.group(1)) < 1:
        raise InputError(
            f"{ver.strip()!r} in {raw!r} is not a version number",
            hint=f"write {name}@3 or {name}@v3 for version 3, {name} for the latest",
        )
    if kind == "dataset":
        raise InputError(
            f"bundled datasets have no versions ({raw!r})",
            hint=f"write dataset:{name}",
        )
    return SourceSpec(kind, name, int(found.group(1)), raw)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class ResolvedTable:
    """A table and where it came from.

    Attributes
    ----------
    table:
        The :class:`~smartspec.table.ActivityTable`.
    kind:
        ``"file"``, ``"dataset"`` or ``"store"``.
    name:
        The file's path as given, the dataset's name or the stored table's name.
    label:
        A short label for messages: the file's name, the dataset's name, ``emp v2``.
    reference:
        A text that names exactly this table again: ``file:/abs/path.csv``,
        ``dataset:NAME``, ``store:NAME@N`` (the version that was read).
    version:
        The stored table's version (``None`` for files and datasets).
    entry:
        The stored table's :class:`~smartspec.data.store.EvidenceEntry` (content hash,
        import time, file …), else ``None``.
    path:
        The file read (a file's absolute path; a stored version's Parquet file).
    data_dir:
        The data directory whose evidence store was read (stored tables only).
    notes:
        What is worth saying about the choice (nothing so far for an unambiguous name).
    """

    table: ActivityTable
    kind: Kind
    name: str
    label: str
    reference: str
    version: int | None = None
    entry: EvidenceEntry | None = None
    path: Path | None = None
    data_dir: Path | None = None
    notes: tuple[str, ...] = field(default=())

    def provenance(self) -> dict[str, Any]:
        """Where the table came from, as JSON-ready data (for an analysis's provenance).

        Always ``kind``, ``reference``, ``measure``, ``unit`` and ``table_provenance``
        (the table's own: source, publisher, URL, retrieved …); a stored table adds ``name``,
        ``version``, ``content_hash``, ``imported_at``, ``data_dir`` and ``file``; a file
        ``path``, ``bytes`` and ``modified``; a dataset ``name``.
        """
        meta = self.table.meta
        out: dict[str, Any] = {"kind": self.kind, "reference": self.reference}
        if self.kind == "store" and self.entry is not None:
            e = self.entry
            out.update(
                name=e.name,
                version=e.version,
                content_hash=e.content_hash,
                imported_at=e.imported_at.isoformat().replace("+00:00", "Z"),
                data_dir=str(self.data_dir) if self.data_dir is not None else None,
                file=str(e.file),
            )
        elif self.kind == "file" and self.path is not None:
            out["path"] = str(self.path)
            try:
                stat = self.path.stat()
            except OSError:
                pass
            else:
                from datetime import UTC, datetime

                out["bytes"] = stat.st_size
                out["modified"] = (
                    datetime.fromtimestamp(stat.st_mtime, UTC)
                    .isoformat(timespec="seconds")
                    .replace("+00:00", "Z")
                )
        else:
            out["name"] = self.name
        out["measure"] = meta.measure
        out["unit"] = meta.unit
        out["table_provenance"] = _plain(meta.provenance)
        return out


# --------------------------------------------------------------------------- resolving
def resolve_table(
    text: str,
    *,
    data_dir: str | os.PathLike[str] | DataDir | None = None,
    file_options: Mapping[str, Any] | None = None,
    require_activity: bool = False,
) -> ResolvedTable:
    """The table that *text* names: a file, a bundled dataset or a stored table.

    Parameters
    ----------
    text:
        ``PATH``, ``NAME``, ``NAME@N`` (a stored table's version N), or one of these
        after ``file:``, ``dataset:`` or ``store:`` (see the module notes).
    data_dir:
        The data directory whose evidence store is searched (default as in
        :func:`smartspec.config.data_dir`). A directory without a store is not given one.
    file_options:
        Keyword arguments for :func:`~smartspec.data.read_table` when *text* is a file,
        over :data:`FILE_DEFAULTS` (e.g. ``{"sep": ";"}`` or a real ``measure``).
    require_activity:
        Refuse a table without an activity column (an analysis of region × activity).

    Returns
    -------
    ResolvedTable
        The table, its kind, a label, a reference that names it exactly again and its
        provenance.

    Raises
    ------
    AmbiguousTableError
        More than one source has the name (the message says how to choose).
    UnknownTableError
        No source has it (with the closest names of all three sources).
    UnknownCodeError
        ``store:NAME`` or ``dataset:NAME`` that does not exist, or a stored table
        without that version.
    InputError
        A file that cannot be read as a table, or bad syntax.
    """
    spec = parse_source(text)
    directory = data_dir if isinstance(data_dir, DataDir) else _data_dir(data_dir)
    lookup = _Lookup(directory)
    if spec.kind == "file":
        path = _expand(spec.name)
        if not path.is_file():
            raise lookup.unknown(spec, kinds=("file",))
        found = _read_file(spec.name, path, file_options)
    elif spec.kind == "dataset":
        found = _load_dataset(spec.name)
    elif spec.kind == "store":
        found = lookup.load_stored(spec.name, spec.version)
    else:
        found = _resolve_bare(spec, lookup, file_options)
    if require_activity and not found.table.has_activity:
        raise _no_activity(found)
    return found


def _resolve_bare(
    spec: SourceSpec, lookup: _Lookup, file_options: Mapping[str, Any] | None
) -> ResolvedTable:
    path = _expand(spec.text.strip())
    is_file = path.is_file()
    if spec.path_like:  # a name with a version is never path-like
        if is_file:
            return _read_file(spec.text.strip(), path, file_options)
        raise lookup.unknown(spec, kinds=PREFIXES)
    key = spec.name.lower()
    matches: list[tuple[Kind, str, str]] = []  # kind, choose-with, described
    if is_file:
        shown = spec.text.strip()
        matches.append(("file", f"file:{shown}", f"a file ({_display(shown)})"))
    if spec.version is None and key in _dataset_names():
        matches.append(("dataset", f"dataset:{key}", f"a bundled dataset ({key})"))
    stored = lookup.store_names()
    if key in stored:
        at = f"@{spec.version}" if spec.version is not None else ""
        matches.append(
            ("store", f"store:{key}{at}", f"a table of the evidence store in {lookup.where}")
        )
    if len(matches) > 1:
        raise AmbiguousTableError(
            spec.text.strip(), [m[1] for m in matches], [m[2] for m in matches]
        )
    if not matches:
        if spec.version is not None and key in _dataset_names():
            raise InputError(
                f"{key} is a bundled dataset, which has no versions",
                hint=f"write {key} or dataset:{key}",
            )
        raise lookup.unknown(spec, kinds=PREFIXES)
    kind = matches[0][0]
    if kind == "file":
        return _read_file(spec.text.strip(), path, file_options)
    if kind == "dataset":
        return _load_dataset(key)
    return lookup.load_stored(key, spec.version)


class _Lookup:
    """The evidence store of one data directory, opened only if it exists."""

    def __init__(self, directory: DataDir) -> None:
        self.directory = directory
        self._store: EvidenceStore | None = None
        self._names: list[str] | None = None

    @property
    def where(self) -> str:
        return str(self.directory.path)

    def store(self) -> EvidenceStore | None:
        if self._store is None and self.directory.evidence_db.is_file():
            from smartspec.data.store import EvidenceStore

            self._store = EvidenceStore(self.directory)
        return self._store

    def store_names(self) -> list[str]:
        if self._names is None:
            store = self.store()
            self._names = store.names() if store is not None else []
        return self._names

    def load_stored(self, name: str, version: int | None) -> ResolvedTable:
        store = self.store()
        if store is None:
            raise UnknownCodeError(
                "stored table",
                name,
                context=f"(there is no evidence store in {self.where} yet; import a table "
                "with `smartspec data import FILE --name NAME`, or give the data directory "
                "that holds it)",
            )
        table, entry = store.load_entry(name.lower(), version)
        return ResolvedTable(
            table=table,
            kind="store",
            name=entry.name,
            label=entry.label,
            reference=f"store:{entry.name}@{entry.version}",
            version=entry.version,
            entry=entry,
            path=entry.file,
            data_dir=self.directory.path,
        )

    def unknown(self, spec: SourceSpec, *, kinds: Sequence[Kind]) -> UnknownTableError:
        """No *kinds* source has *spec*: the closest names of those sources."""
        name = spec.name if spec.kind is not None else spec.text.strip()
        scored: list[tuple[float, str]] = []
        if "file" in kinds:
            scored += _close_files(name)
        if "dataset" in kinds and not spec.path_like:
            scored += _close_names(name, _dataset_names(), "dataset")
        if "store" in kinds:
            stem = _stem(Path(name).name) if spec.path_like else spec.name
            scored += _close_names(stem, self.store_names(), "store")
        scored.sort(key=lambda s: -s[0])
        suggestions = list(dict.fromkeys(s for _, s in scored))[:5]
        if spec.kind == "file" or spec.path_like:
            message = f"no such file: {name}"
            if not suggestions:
                message += (
                    " (check the path)"
                    if spec.kind == "file"
                    else " (give a CSV, TSV, Excel or Parquet file, the name of a bundled "
                    "dataset or the name of a stored table)"
                )
        else:
            if self.directory.evidence_db.is_file():
                message = (
                    f"unknown table {name!r}: no file, bundled dataset or table of the "
                    f"evidence store in {self.where} has that name"
                )
            else:
                message = (
                    f"unknown table {name!r}: no file or bundled dataset has that name, and "
                    f"there is no evidence store in {self.where}"
                )
            if not suggestions:
                message += "; see `smartspec datasets list` and `smartspec data list`"
        return UnknownTableError(name, suggestions, message)


def _read_file(shown: str, path: Path, options: Mapping[str, Any] | None) -> ResolvedTable:
    from smartspec.data.readers import read_table

    kwargs = {**FILE_DEFAULTS, **(options or {})}
    table = read_table(path, **kwargs)
    absolute = path.resolve()
    return ResolvedTable(
        table=table,
        kind="file",
        name=shown,
        label=path.name,
        reference=f"file:{absolute}",
        path=absolute,
    )


def _load_dataset(name: str) -> ResolvedTable:
    from smartspec import datasets

    key = name.strip().lower()
    table = datasets.load(key)
    return ResolvedTable(
        table=table, kind="dataset", name=key, label=key, reference=f"dataset:{key}"
    )


def _no_activity(found: ResolvedTable) -> InputError:
    if found.kind == "file":
        return InputError(
            "missing column(s) 'activity'",
            source=found.label,
            hint="a long table has the columns region, activity, value and optionally period",
        )
    if found.kind == "dataset":
        return InputError(
            f"dataset {found.name!r} has no activities", hint="use a region × activity dataset"
        )
    return InputError(
        f"the stored table {found.label} has no activities",
        hint="use a region × activity table",
    )


# --------------------------------------------------------------------------- helpers
def _dataset_names() -> list[str]:
    from smartspec.datasets import list_datasets

    return [d.name for d in list_datasets()]


def _close_names(query: str, names: Sequence[str], kind: Kind) -> list[tuple[float, str]]:
    key = query.strip().lower()
    if not key or not names:
        return []
    found = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    if not found and len(key) >= 3:
        found = [n for n in names if key in n or n in key][:3]
    return [(_ratio(key, n), f"{n} ({_KIND_WORDS[kind]})") for n in found]


def _close_files(query: str) -> list[tuple[float, str]]:
    """Table files in the query's folder whose name or stem is close to the query's."""
    raw = Path(query).expanduser()
    folder = raw.parent
    prefix = "" if str(Path(query).parent) in ("", ".") else str(Path(query).parent) + os.sep
    try:
        entries = []
        with os.scandir(folder) as it:
            for i, entry in enumerate(it):
                if i >= _MAX_LISTED:
                    break
                if entry.is_file() and _table_suffix(entry.name):
                    entries.append(entry.name)
    except OSError:
        return []
    wanted = raw.name.lower()
    wanted_stem = _stem(wanted)
    scored = []
    for name in entries:
        low = name.lower()
        score = max(_ratio(wanted, low), _ratio(wanted_stem, _stem(low)))
        if score >= 0.75:
            scored.append((score, f"{prefix}{name} (file)"))
    scored.sort(key=lambda s: -s[0])
    return scored[:3]


def _table_suffix(name: str) -> bool:
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in _TABLE_SUFFIXES


def _stem(name: str) -> str:
    low = name.lower()
    if low.endswith(".gz"):
        low = low[:-3]
    return Path(low).stem if Path(low).suffix.lower() in _TABLE_SUFFIXES else low


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _path_like(name: str) -> bool:
    return "/" in name or "\\" in name or os.sep in name or bool(Path(name).suffix)


def _expand(name: str) -> Path:
    return Path(name).expanduser()


def _display(shown: str) -> str:
    return shown if _path_like(shown) else f".{os.sep}{shown}"


def _example(kind: Kind) -> str:
    return {
        "file": "file:employment.csv",
        "dataset": "dataset:lfs_employment_nuts2",
        "store": "store:emp or store:emp@2",
    }[kind]


def _plain(value: Any) -> Any:
    """Provenance as JSON data (tuples as lists, dates and other objects as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
