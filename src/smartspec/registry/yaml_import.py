"""Importing priorities from YAML: validate everything first, then write in one transaction.

The format (see ``_data/sweden_priorities.yaml`` and docs/guide/registry.md)::

    regions:                      # optional: regions not yet in the registry
      SE211: Jönköpings län
    sources:
      jonkoping-s3:
        title: Smart specialiseringsstrategi för Jönköpings län   # required
        publisher: Region Jönköpings län
        url: https://…
        date: 2019-10             # YYYY, YYYY-MM or YYYY-MM-DD: the effective date
        date_inferred: true
        language: sv              # of the labels: sv (default) or en
        note: …
    revisions:
      - source: jonkoping-s3      # required; a source revises only the regions it lists
        date: 2019-10             # optional; defaults to the source's date
        priorities:               # strength areas by region
          SE211: [Smart industri/kunskapsintensiva tillverkningsföretag, …]
          SE232:                  # or grouped under headings as published
            Styrkeområden: [Life science, …]
            Utvecklingsområden: [Material, …]
        development_areas: {…}   # development areas by region
        cross_cutting:            # cross-cutting factors by region
          SE211: [Tjänstedesign]
        joint:                    # a joint strategy of several regions (or a list of them)
          regions: [SE121, SE122, SE123, SE124, SE125]
          priorities: [Smart industri, …]

A priority is a label, or a mapping with ``label`` (or ``label_sv`` / ``label_en``),
``kind``, ``description``, ``niches`` and ``same_as`` (the label it had before: a rename).
A heading's kind is read from its name: Styrkeområden → strength area,
Utvecklingsområden → development area, Förutsättningar… → cross-cutting.

The validated file is an :class:`~smartspec.registry.import_plan.ImportPlan`, written by
:func:`~smartspec.registry.import_plan.apply_plan` (both importable from here too).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartspec.errors import InputError
from smartspec.registry.dates import PartialDate
from smartspec.registry.import_plan import (
    ImportPlan,
    RevisionPlan,
    SourcePlan,
    StrategyTarget,
    apply_plan,
)
from smartspec.registry.labels import label_key
from smartspec.registry.models import PriorityKind, StrategyKind
from smartspec.registry.queries import region_suggestions
from smartspec.registry.revisions import PriorityInput

__all__ = ["ImportPlan", "RevisionPlan", "SourcePlan", "apply_plan", "parse_yaml"]

_TOP_KEYS = {"regions", "sources", "revisions"}
_SOURCE_KEYS = {"title", "publisher", "url", "date", "date_inferred", "note", "language"}
_REVISION_KEYS = {
    "source",
    "date",
    "author",
    "reason",
    "priorities",
    "development_areas",
    "cross_cutting",
    "joint",
}
_SECTIONS: dict[str, PriorityKind] = {
    "priorities": PriorityKind.STRENGTH_AREA,
    "development_areas": PriorityKind.DEVELOPMENT_AREA,
    "cross_cutting": PriorityKind.CROSS_CUTTING,
}
_JOINT_KEYS = {"regions", "priorities", "name", "code"}
_ITEM_KEYS = {"label", "label_sv", "label_en", "kind", "description", "niches", "same_as"}
_LANGUAGES = ("sv", "en")
_REGION_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
# heading (case-folded prefix) -> kind, for priorities grouped under published headings
_HEADING_KINDS: tuple[tuple[str, PriorityKind], ...] = (
    ("styrkeområde", PriorityKind.STRENGTH_AREA),
    ("strength", PriorityKind.STRENGTH_AREA),
    ("utvecklingsområde", PriorityKind.DEVELOPMENT_AREA),
    ("development", PriorityKind.DEVELOPMENT_AREA),
    ("förutsättning", PriorityKind.CROSS_CUTTING),
    ("tvärgående", PriorityKind.CROSS_CUTTING),
    ("horisontell", PriorityKind.CROSS_CUTTING),
    ("cross-cutting", PriorityKind.CROSS_CUTTING),
    ("cross cutting", PriorityKind.CROSS_CUTTING),
    ("enabling", PriorityKind.CROSS_CUTTING),
)


def parse_yaml(
    path_or_text: str | os.PathLike[str],
    known_regions: Mapping[str, str],
    *,
    text: bool = False,
    origin: str | None = None,
) -> ImportPlan:
    """Read and validate a priorities file; nothing is written.

    Parameters
    ----------
    path_or_text:
        The file, or with ``text=True`` the YAML itself.
    known_regions:
        Region code -> name of the regions already in the registry.
    origin:
        The name errors give the input (default: the file name, or ``<yaml>``).

    Raises
    ------
    InputError
        At the first problem, saying which field of which priority in which revision is
        wrong and what is allowed.
    """
    import yaml

    if text:
        origin, content = origin or "<yaml>", os.fspath(path_or_text)
    else:
        path = Path(path_or_text)
        origin = origin or path.name
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"no such file: {os.fspath(path)!r}") from None
        except UnicodeDecodeError as err:
            raise InputError(f"not UTF-8 text ({err.reason})", source=origin) from None
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"not valid YAML: {problem}", source=origin, row=row) from None
    return _Parser(origin, known_regions).parse(data)


class _Parser:
    def __init__(self, origin: str, known_regions: Mapping[str, str]) -> None:
        self.origin = origin
        self.regions = dict(known_regions)
        self.plan = ImportPlan(origin)

    def error(self, message: str, hint: str | None = None) -> InputError:
        return InputError(message, source=self.origin, hint=hint)

    def parse(self, data: Any) -> ImportPlan:
        if not isinstance(data, dict):
            raise self.error(
                "the file must be a mapping with 'sources' and 'revisions'",
                hint="see docs/guide/registry.md for the format",
            )
        self.check_keys(data, _TOP_KEYS, "the top level")
        for key in ("sources", "revisions"):
            if key not in data:
                raise self.error(f"the top level has no {key!r}")
        self.parse_regions(data.get("regions") or {})
        self.parse_sources(data["sources"])
        revisions = data["revisions"]
        if not isinstance(revisions, list) or not revisions:
            raise self.error("'revisions' must be a non-empty list")
        for index, entry in enumerate(revisions, start=1):
            self.parse_revision(index, entry)
        return self.plan

    def check_keys(self, mapping: dict[Any, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(str(k) for k in mapping if k not in allowed)
        if unknown:
            raise self.error(
                f"{where}: unknown field {unknown[0]!r}",
                hint="allowed fields are " + ", ".join(sorted(allowed)),
            )

    def text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.error(f"{where} is empty")
            return None
        if not isinstance(value, str):
            raise self.error(
                f"{where} must be text, not {_yaml_type(value)} {value!r}",
                hint="put it in quotes",
            )
        return value.strip()

    def parse_regions(self, regions: Any) -> None:
        if not isinstance(regions, dict):
            raise self.error("'regions' must map region codes to names")
        for code, name in regions.items():
            code_text = str(code).strip()
            if not _REGION_CODE.match(code_text):
                raise self.error(f"regions: {code!r} is not a NUTS code", hint="e.g. SE211 or SE12")
            self.plan.regions[code_text] = (
                self.text(name, f"regions: the name of {code_text}", required=True) or ""
            )
            self.regions[code_text] = self.plan.regions[code_text]

    def parse_sources(self, sources: Any) -> None:
        if not isinstance(sources, dict) or not sources:
            raise self.error("'sources' must map source keys to their descriptions")
        for key, entry in sources.items():
            where = f"source {key!r}"
            if not isinstance(entry, dict):
                raise self.error(f"{where} must be a mapping with at least a title")
            self.check_keys(entry, _SOURCE_KEYS, where)
            date = None
            if entry.get("date") is not None:
                date = PartialDate.parse(entry["date"], where=f"{where}: date")
            inferred = entry.get("date_inferred", False)
            if not isinstance(inferred, bool):
                raise self.error(f"{where}: date_inferred must be true or false")
            language = entry.get("language", "sv")
            if language not in _LANGUAGES:
                raise self.error(f"{where}: unknown language {language!r}", hint="use sv or en")
            self.plan.sources[str(key)] = SourcePlan(
                key=str(key),
                title=self.text(entry.get("title"), f"{where}: title", required=True) or "",
                publisher=self.text(entry.get("publisher"), f"{where}: publisher"),
                url=self.text(entry.get("url"), f"{where}: url"),
                date=date,
                date_inferred=inferred,
                language=language,
                note=self.text(entry.get("note"), f"{where}: note"),
            )

    def parse_revision(self, index: int, entry: Any) -> None:
        where = f"revision {index}"
        if not isinstance(entry, dict):
            raise self.error(f"{where} must be a mapping with a source and priorities")
        key = entry.get("source")
        if key is None or (isinstance(key, str) and not key.strip()):
            raise self.error(
                f"{where} has no source",
                hint="every revision names its source document: source: <key under sources>",
            )
        where = f"revision {index} (source {key!r})"
        self.check_keys(entry, _REVISION_KEYS, where)
        source = self.plan.sources.get(str(key))
        if source is None:
            raise self.error(
                f"{where}: source {key!r} is not defined under 'sources'",
                hint="defined sources are " + ", ".join(sorted(self.plan.sources)),
            )
        if entry.get("date") is not None:
            effective = PartialDate.parse(entry["date"], where=f"{where}: date")
        elif source.date is not None:
            effective = source.date
        else:
            raise self.error(
                f"{where}: neither the revision nor source {key!r} has a date",
                hint="give the source a date (YYYY, YYYY-MM or YYYY-MM-DD)",
            )
        author = self.text(entry.get("author"), f"{where}: author")
        reason = self.text(entry.get("reason"), f"{where}: reason")

        by_region: dict[str, list[PriorityInput]] = {}
        for section, kind in _SECTIONS.items():
            regions = entry.get(section)
            if regions is None:
                continue
            if not isinstance(regions, dict):
                raise self.error(f"{where}, {section}: must map region codes to priorities")
            for code, items in regions.items():
                region = self.region(code, f"{where}, {section}")
                parsed = self.items(
                    items,
                    f"{where}, {section}, region {region}",
                    kind,
                    source.language,
                    headed=section == "priorities",
                )
                by_region.setdefault(region, []).extend(parsed)

        joints = entry.get("joint")
        joint_list = [] if joints is None else joints if isinstance(joints, list) else [joints]
        planned: list[RevisionPlan] = []
        for code, items in by_region.items():
            target = StrategyTarget(code, None, StrategyKind.REGIONAL, (code,))
            planned.append(
                RevisionPlan(
                    index,
                    source.key,
                    target,
                    effective,
                    tuple(items),
                    author,
                    reason,
                    f"{where}, region {code}",
                )
            )
        for number, joint in enumerate(joint_list, start=1):
            jwhere = f"{where}, joint" + (f" {number}" if len(joint_list) > 1 else "")
            target, items = self.joint(joint, jwhere, source)
            planned.append(
                RevisionPlan(
                    index, source.key, target, effective, tuple(items), author, reason, jwhere
                )
            )
        if not planned:
            raise self.error(
                f"{where} lists no priorities",
                hint="add priorities, development_areas, cross_cutting or joint",
            )
        self.plan.revisions.extend(planned)

    def region(self, code: Any, where: str) -> str:
        text = str(code).strip()
        if text not in self.regions:
            suggestions = region_suggestions(sorted(self.regions.items()), text)
            hint = "regions must be in the registry or listed under 'regions' in the file"
            if suggestions:
                hint = f"did you mean {', '.join(suggestions[:-1])}"
                hint += f" or {suggestions[-1]}?" if len(suggestions) > 1 else f"{suggestions[0]}?"
                hint += " Regions must be in the registry or listed under 'regions' in the file"
            raise self.error(f"{where}: unknown region {text!r}", hint=hint)
        return text

    def joint(
        self, joint: Any, where: str, source: SourcePlan
    ) -> tuple[StrategyTarget, list[PriorityInput]]:
        if not isinstance(joint, dict):
            raise self.error(f"{where} must be a mapping with regions and priorities")
        self.check_keys(joint, _JOINT_KEYS, where)
        regions = joint.get("regions")
        if not isinstance(regions, list) or len(regions) < 2:
            raise self.error(f"{where}: regions must list at least two region codes")
        codes = tuple(sorted({self.region(code, where) for code in regions}))
        if len(codes) != len(regions):
            raise self.error(f"{where}: a region is listed twice")
        code = self.text(joint.get("code"), f"{where}: code") or "+".join(codes)
        name = self.text(joint.get("name"), f"{where}: name") or source.title
        items = self.items(
            joint.get("priorities"),
            f"{where}, priorities",
            PriorityKind.JOINT_AREA,
            source.language,
            headed=False,
        )
        return StrategyTarget(code, name, StrategyKind.JOINT, codes), items

    def items(
        self, items: Any, where: str, kind: PriorityKind, language: str, *, headed: bool
    ) -> list[PriorityInput]:
        if isinstance(items, dict):  # grouped under published headings
            out: list[PriorityInput] = []
            for heading, group in items.items():
                heading_text = self.text(heading, f"{where}: a heading", required=True) or ""
                group_kind = _heading_kind(heading_text) if headed else kind
                out.extend(
                    self.list_items(
                        group,
                        f"{where}, heading {heading_text!r}",
                        group_kind,
                        language,
                        heading_text,
                    )
                )
            return out
        return self.list_items(items, where, kind, language, None)

    def list_items(
        self,
        items: Any,
        where: str,
        kind: PriorityKind | None,
        language: str,
        category: str | None,
    ) -> list[PriorityInput]:
        if not isinstance(items, list) or not items:
            raise self.error(f"{where}: must be a non-empty list of priorities")
        out = []
        for number, item in enumerate(items, start=1):
            out.append(self.item(item, f"{where}, priority {number}", kind, language, category))
        return out

    def item(
        self,
        item: Any,
        where: str,
        kind: PriorityKind | None,
        language: str,
        category: str | None,
    ) -> PriorityInput:
        if not isinstance(item, dict):
            item = {"label": item}
        self.check_keys(item, _ITEM_KEYS, where)
        if "label" in item and f"label_{language}" in item:
            raise self.error(f"{where}: give either label or label_{language}, not both")
        labels = {lang: item.get(f"label_{lang}") for lang in _LANGUAGES}
        if "label" in item:
            labels[language] = item["label"]
        label_sv = self.text(labels["sv"], f"{where}: label_sv")
        label_en = self.text(labels["en"], f"{where}: label_en")
        if label_sv is None and label_en is None:
            raise self.error(f"{where}: the label is empty", hint="give the priority a label")
        shown = label_sv or label_en
        if not label_key(shown or ""):
            raise self.error(f"{where}: the label {shown!r} has no letters or digits")
        if item.get("kind") is not None:
            kind = _parse_kind(item["kind"], f"{where} ({shown!r})", self.origin)
        if kind is None:
            raise self.error(
                f"{where} ({shown!r}): cannot tell the kind from the heading {category!r}",
                hint="start the heading with Styrkeområden, Utvecklingsområden or "
                "Förutsättningar, or give the priority a kind: "
                + ", ".join(k.value for k in PriorityKind),
            )
        niches = item.get("niches") or []
        if not isinstance(niches, list) or not all(isinstance(n, str) for n in niches):
            raise self.error(f"{where} ({shown!r}): niches must be a list of texts")
        return PriorityInput(
            label_sv=label_sv,
            label_en=label_en,
            kind=kind,
            category=category,
            description=self.text(item.get("description"), f"{where}: description"),
            niches=tuple(n.strip() for n in niches if n.strip()),
            same_as=self.text(item.get("same_as"), f"{where}: same_as"),
        )


def _heading_kind(heading: str) -> PriorityKind | None:
    folded = heading.casefold()
    for prefix, kind in _HEADING_KINDS:
        if folded.startswith(prefix):
            return kind
    return None


def _parse_kind(value: Any, where: str, origin: str) -> PriorityKind:
    text = str(value).strip().casefold().replace("-", "_").replace(" ", "_")
    try:
        return PriorityKind(text)
    except ValueError:
        raise InputError(
            f"{where}: unknown kind {value!r}",
            source=origin,
            hint="use one of " + ", ".join(k.value for k in PriorityKind),
        ) from None


def _yaml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "the truth value"
    if isinstance(value, int | float):
        return "the number"
    if isinstance(value, dt.date):
        return "the date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
