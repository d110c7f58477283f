"""SourceDocument: where a revision's facts come from."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.dates import DatePrecision, PartialDate
from smartspec.registry.models.base import Base, CreatedMixin, IdMixin

__all__ = ["SourceDocument"]


class SourceDocument(IdMixin, CreatedMixin, Base):
    """A published document (strategy, web page, presentation) that priorities come from.

    Attributes
    ----------
    key:
        A short stable name, e.g. ``tvv-2019-map``; imports refer to sources by key.
    date, date_precision:
        Publication date, known to the year, month or day (see :mod:`~smartspec.registry.dates`).
    date_inferred:
        True when the date is not printed in the document but inferred (the note says how).
    language:
        ISO 639-1 code of the labels the document uses (``sv`` or ``en``).
    """

    __tablename__ = "source_document"

    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    publisher: Mapped[str | None] = mapped_column(sa.String(300))
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    date: Mapped[dt.date | None]
    date_precision: Mapped[DatePrecision | None]
    date_inferred: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(sa.String(8), default="sv")
    note: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def published(self) -> PartialDate | None:
        """The publication date with its precision, if known."""
        if self.date is None or self.date_precision is None:
            return None
        return PartialDate(self.date, self.date_precision)
