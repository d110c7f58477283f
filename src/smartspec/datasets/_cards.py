"""Provenance cards of the bundled data files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = ["Card", "read_card"]


@dataclass(frozen=True)
class Card:
    """Where a bundled dataset comes from and what was done to it.

    Attributes
    ----------
    name, title:
        Dataset name (as in :func:`smartspec.datasets.load`) and a one-line title.
    publisher, url, licence, retrieved:
        Who published the data, where, under which terms, and when it was obtained.
    changes:
        What was changed, from the original file to the bundled file to the table.
    notes:
        Caveats: units, flags, NUTS versions, what is left out.
    source_files:
        The original files (paths in the project's shared data collection).
    files:
        The bundled files.
    extra:
        Dataset-specific facts, e.g. the resolution rate of region names.
    """

    name: str
    title: str
    publisher: str
    url: str
    licence: str
    retrieved: str
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source_files: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_markdown(self) -> str:
        """The card as Markdown.

        Examples
        --------
        >>> c = Card("demo", "A demo", "Eurostat", "https://example.org", "CC BY 4.0",
        ...          "2024-01-01", changes=("none",))
        >>> print(c.to_markdown())
        # demo — A demo
        <BLANKLINE>
        - **Publisher:** Eurostat
        - **URL:** https://example.org
        - **Licence:** CC BY 4.0
        - **Retrieved:** 2024-01-01
        <BLANKLINE>
        ## Changes
        <BLANKLINE>
        - none
        """
        lines = [f"# {self.name} — {self.title}", ""]
        lines += [
            f"- **Publisher:** {self.publisher}",
            f"- **URL:** {self.url}",
            f"- **Licence:** {self.licence}",
            f"- **Retrieved:** {self.retrieved}",
        ]
        if self.files:
            lines.append(f"- **Bundled files:** {', '.join(self.files)}")
        if self.source_files:
            lines.append(f"- **Source files:** {', '.join(self.source_files)}")
        for title, items in (("Changes", self.changes), ("Notes", self.notes)):
            if items:
                lines += ["", f"## {title}", ""]
                lines += [f"- {item}" for item in items]
        if self.extra:
            lines += ["", "## Details", ""]
            for key, value in self.extra.items():
                lines += _markdown_value(key, value)
        return "\n".join(lines)

    def to_text(self) -> str:
        """The card as plain text."""
        out = [f"{self.name}: {self.title}"]
        out += [
            f"  publisher: {self.publisher}",
            f"  url:       {self.url}",
            f"  licence:   {self.licence}",
            f"  retrieved: {self.retrieved}",
        ]
        for title, items in (("changes", self.changes), ("notes", self.notes)):
            if items:
                out.append(f"  {title}:")
                out += [f"    - {item}" for item in items]
        for key, value in self.extra.items():
            if isinstance(value, list | tuple):
                out.append(f"  {key}: {len(value)} item{'s' if len(value) != 1 else ''}")
                out += [f"    - {_inline(v)}" for v in value]
            else:
                out.append(f"  {key}: {_inline(value)}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text()


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _markdown_value(key: str, value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        if not value:
            return [f"- **{key}:** none"]
        if all(isinstance(v, Mapping) for v in value):
            columns = list(value[0].keys())
            lines = ["", f"**{key}** ({len(value)}):", ""]
            lines.append("| " + " | ".join(columns) + " |")
            lines.append("|" + "---|" * len(columns))
            for item in value:
                cells = [str(item.get(c, "")).replace("|", "\\|") for c in columns]
                lines.append("| " + " | ".join(cells) + " |")
            return [*lines, ""]
        return ["", f"**{key}** ({len(value)}):", "", *[f"- {v}" for v in value], ""]
    return [f"- **{key}:** {_inline(value)}"]


def read_card(name: str, files: tuple[str, ...]) -> Card:
    """Merge the ``<file>.card.json`` of each bundled file of a dataset into one card."""
    parts: list[dict[str, Any]] = []
    base = resources.files("smartspec.datasets").joinpath("_data")
    for file in files:
        text = base.joinpath(file + ".card.json").read_text(encoding="utf-8")
        parts.append(json.loads(text))
    first = parts[0]
    changes: list[str] = []
    notes: list[str] = []
    sources: list[str] = []
    extra: dict[str, Any] = {}
    for part in parts:
        for item in part.get("changes", []):
            if item not in changes:
                changes.append(item)
        for item in part.get("notes", []):
            if item not in notes:
                notes.append(item)
        for item in part.get("source_files", []):
            if item not in sources:
                sources.append(item)
        extra.update(part.get("extra", {}))
    return Card(
        name=name,
        title=str(first.get("title", name)),
        publisher=str(first.get("publisher", "")),
        url=str(first.get("url", "")),
        licence=str(first.get("licence", "")),
        retrieved=str(first.get("retrieved", "")),
        changes=tuple(changes),
        notes=tuple(notes),
        source_files=tuple(sources),
        files=files,
        extra=extra,
    )
