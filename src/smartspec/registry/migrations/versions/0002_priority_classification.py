"""Classifications of priorities: suggested NACE divisions and themes, and their review.

One row per priority × scheme (``nace`` or ``theme``) × code, with the classifier's score,
method and evidence, and the review status (suggested, accepted, rejected, added) with
who reviewed it and when. Classifications describe a priority; they are not part of a
strategy's revisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "priority_classification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column(
            "scheme",
            sa.Enum(
                "nace",
                "theme",
                name="classification_scheme",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=100), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "suggested",
                "accepted",
                "rejected",
                "added",
                name="classification_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status = 'suggested' OR (reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL)",
            name=op.f("ck_priority_classification_reviewed_has_reviewer"),
        ),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 1)",
            name=op.f("ck_priority_classification_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority.id"],
            name=op.f("fk_priority_classification_priority_id_priority"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_classification")),
        sa.UniqueConstraint(
            "priority_id",
            "scheme",
            "code",
            name=op.f("uq_priority_classification_priority_id_scheme_code"),
        ),
    )
    op.create_index(
        op.f("ix_priority_classification_priority_id"),
        "priority_classification",
        ["priority_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_priority_classification_priority_id"), table_name="priority_classification"
    )
    op.drop_table("priority_classification")
