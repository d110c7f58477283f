"""Initial schema of the strategy registry.

Regions, actors and source documents; strategies (regional or joint) with immutable
revisions that snapshot their metadata and priorities; priority identities; goals,
roadmap milestones, actions, roles, indicators and measurements; follow-up and evaluation
notes; RIS3 self-assessments; stakeholder events, participations and consenting persons;
accounts with their editable regions; and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("password_hash", sa.String(length=500), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("table_name", sa.String(length=100), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "insert",
                "update",
                "delete",
                name="audit_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_recorded_at"), "audit_log", ["recorded_at"], unique=False)
    op.create_index(op.f("ix_audit_log_table_name"), "audit_log", ["table_name"], unique=False)

    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
        sa.UniqueConstraint("code", name=op.f("uq_region_code")),
    )
    op.create_table(
        "source_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column(
            "date_precision",
            sa.Enum(
                "year",
                "month",
                "day",
                name="date_precision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("date_inferred", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_document")),
        sa.UniqueConstraint("key", name=op.f("uq_source_document_key")),
    )
    op.create_table(
        "strategy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "regional",
                "joint",
                name="strategy_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy")),
        sa.UniqueConstraint("code", name=op.f("uq_strategy_code")),
    )
    op.create_table(
        "account_region",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_account_region_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_account_region_region_id_region")
        ),
        sa.PrimaryKeyConstraint("account_id", "region_id", name=op.f("pk_account_region")),
    )
    op.create_index(
        op.f("ix_account_region_region_id"), "account_region", ["region_id"], unique=False
    )

    op.create_table(
        "actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "helix",
            sa.Enum(
                "business",
                "academia",
                "public",
                "civil_society",
                name="helix",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("org_number", sa.String(length=32), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_actor_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
    )
    op.create_index(op.f("ix_actor_region_id"), "actor", ["region_id"], unique=False)

    op.create_table(
        "priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_priority_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority")),
    )
    op.create_index(op.f("ix_priority_strategy_id"), "priority", ["strategy_id"], unique=False)

    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_self_assessment_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment")),
    )
    op.create_index(
        op.f("ix_self_assessment_strategy_id"), "self_assessment", ["strategy_id"], unique=False
    )

    op.create_table(
        "strategy_region",
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_strategy_region_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_strategy_region_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("strategy_id", "region_id", name=op.f("pk_strategy_region")),
    )
    op.create_index(
        op.f("ix_strategy_region_region_id"), "strategy_region", ["region_id"], unique=False
    )

    op.create_table(
        "strategy_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column(
            "effective_precision",
            sa.Enum(
                "year",
                "month",
                "day",
                name="date_precision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("vision", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "adopted",
                "under_revision",
                "expired",
                name="strategy_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_document.id"],
            name=op.f("fk_strategy_revision_source_id_source_document"),
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_strategy_revision_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_revision")),
        sa.UniqueConstraint(
            "strategy_id", "number", name=op.f("uq_strategy_revision_strategy_id_number")
        ),
    )
    op.create_index(
        op.f("ix_strategy_revision_source_id"), "strategy_revision", ["source_id"], unique=False
    )
    op.create_index(
        op.f("ix_strategy_revision_strategy_id"), "strategy_revision", ["strategy_id"], unique=False
    )

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("instrument", sa.String(length=200), nullable=True),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("funding_source", sa.String(length=200), nullable=True),
        sa.Column("owner_actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "ongoing",
                "completed",
                "cancelled",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_action_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_actor_id"], ["actor.id"], name=op.f("fk_action_owner_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_action_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_action_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    op.create_index(op.f("ix_action_owner_actor_id"), "action", ["owner_actor_id"], unique=False)
    op.create_index(op.f("ix_action_priority_id"), "action", ["priority_id"], unique=False)
    op.create_index(op.f("ix_action_strategy_id"), "action", ["strategy_id"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("evaluator", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_evaluation_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_document.id"],
            name=op.f("fk_evaluation_source_id_source_document"),
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_evaluation_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
    )
    op.create_index(op.f("ix_evaluation_priority_id"), "evaluation", ["priority_id"], unique=False)
    op.create_index(op.f("ix_evaluation_strategy_id"), "evaluation", ["strategy_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_follow_up_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_document.id"],
            name=op.f("fk_follow_up_source_id_source_document"),
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_follow_up_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    op.create_index(op.f("ix_follow_up_priority_id"), "follow_up", ["priority_id"], unique=False)
    op.create_index(op.f("ix_follow_up_strategy_id"), "follow_up", ["strategy_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=True),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "consent OR (name IS NULL AND email IS NULL)", name=op.f("ck_person_consent_for_name")
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_person_actor_id_actor")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_index(op.f("ix_person_actor_id"), "person", ["actor_id"], unique=False)

    op.create_table(
        "revision_priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_sv", sa.String(length=500), nullable=True),
        sa.Column("label_en", sa.String(length=500), nullable=True),
        sa.Column("label_key", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "strength_area",
                "development_area",
                "cross_cutting",
                "joint_area",
                name="priority_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("category", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("niches", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "label_sv IS NOT NULL OR label_en IS NOT NULL",
            name=op.f("ck_revision_priority_has_label"),
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_revision_priority_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["strategy_revision.id"],
            name=op.f("fk_revision_priority_revision_id_strategy_revision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_priority")),
        sa.UniqueConstraint(
            "revision_id", "label_key", name=op.f("uq_revision_priority_revision_id_label_key")
        ),
        sa.UniqueConstraint(
            "revision_id", "priority_id", name=op.f("uq_revision_priority_revision_id_priority_id")
        ),
    )
    op.create_index(
        op.f("ix_revision_priority_label_key"), "revision_priority", ["label_key"], unique=False
    )
    op.create_index(
        op.f("ix_revision_priority_priority_id"), "revision_priority", ["priority_id"], unique=False
    )
    op.create_index(
        op.f("ix_revision_priority_revision_id"), "revision_priority", ["revision_id"], unique=False
    )

    op.create_table(
        "self_assessment_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("factor_label", sa.String(length=300), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "factor BETWEEN 1 AND 3", name=op.f("ck_self_assessment_score_factor_range")
        ),
        sa.CheckConstraint(
            "score BETWEEN 0 AND 5", name=op.f("ck_self_assessment_score_score_range")
        ),
        sa.CheckConstraint(
            "step BETWEEN 1 AND 6", name=op.f("ck_self_assessment_score_step_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["self_assessment.id"],
            name=op.f("fk_self_assessment_score_assessment_id_self_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_score")),
        sa.UniqueConstraint(
            "assessment_id",
            "step",
            "factor",
            name=op.f("uq_self_assessment_score_assessment_id_step_factor"),
        ),
    )
    op.create_index(
        op.f("ix_self_assessment_score_assessment_id"),
        "self_assessment_score",
        ["assessment_id"],
        unique=False,
    )

    op.create_table(
        "stakeholder_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=True),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_stakeholder_event_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_stakeholder_event_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_event")),
    )
    op.create_index(
        op.f("ix_stakeholder_event_priority_id"), "stakeholder_event", ["priority_id"], unique=False
    )
    op.create_index(
        op.f("ix_stakeholder_event_strategy_id"), "stakeholder_event", ["strategy_id"], unique=False
    )

    op.create_table(
        "transformative_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority.id"],
            name=op.f("fk_transformative_goal_priority_id_priority"),
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategy.id"],
            name=op.f("fk_transformative_goal_strategy_id_strategy"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transformative_goal")),
    )
    op.create_index(
        op.f("ix_transformative_goal_priority_id"),
        "transformative_goal",
        ["priority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_transformative_goal_strategy_id"),
        "transformative_goal",
        ["strategy_id"],
        unique=False,
    )

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "output",
                "result",
                name="indicator_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("evidence_measure", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_indicator_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_indicator_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_indicator_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    op.create_index(op.f("ix_indicator_action_id"), "indicator", ["action_id"], unique=False)
    op.create_index(op.f("ix_indicator_priority_id"), "indicator", ["priority_id"], unique=False)
    op.create_index(op.f("ix_indicator_strategy_id"), "indicator", ["strategy_id"], unique=False)

    op.create_table(
        "participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "helix",
            sa.Enum(
                "business",
                "academia",
                "public",
                "civil_society",
                name="helix",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "actor_id IS NOT NULL OR helix IS NOT NULL OR person_id IS NOT NULL",
            name=op.f("ck_participation_who"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_participation_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["stakeholder_event.id"],
            name=op.f("fk_participation_event_id_stakeholder_event"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_participation_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
    )
    op.create_index(op.f("ix_participation_actor_id"), "participation", ["actor_id"], unique=False)
    op.create_index(op.f("ix_participation_event_id"), "participation", ["event_id"], unique=False)
    op.create_index(
        op.f("ix_participation_person_id"), "participation", ["person_id"], unique=False
    )

    op.create_table(
        "roadmap_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "reached",
                "delayed",
                "dropped",
                name="milestone_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["transformative_goal.id"],
            name=op.f("fk_roadmap_milestone_goal_id_transformative_goal"),
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_roadmap_milestone_priority_id_priority")
        ),
        sa.ForeignKeyConstraint(
            ["strategy_id"], ["strategy.id"], name=op.f("fk_roadmap_milestone_strategy_id_strategy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_milestone")),
    )
    op.create_index(
        op.f("ix_roadmap_milestone_goal_id"), "roadmap_milestone", ["goal_id"], unique=False
    )
    op.create_index(
        op.f("ix_roadmap_milestone_priority_id"), "roadmap_milestone", ["priority_id"], unique=False
    )
    op.create_index(
        op.f("ix_roadmap_milestone_strategy_id"), "roadmap_milestone", ["strategy_id"], unique=False
    )

    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("responsibility", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(priority_id IS NULL) <> (action_id IS NULL)", name=op.f("ck_role_priority_xor_action")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_role_action_id_action")
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_role_actor_id_actor")),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priority.id"], name=op.f("fk_role_priority_id_priority")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role")),
    )
    op.create_index(op.f("ix_role_action_id"), "role", ["action_id"], unique=False)
    op.create_index(op.f("ix_role_actor_id"), "role", ["actor_id"], unique=False)
    op.create_index(op.f("ix_role_priority_id"), "role", ["priority_id"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_measurement_indicator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_document.id"],
            name=op.f("fk_measurement_source_id_source_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
        sa.UniqueConstraint(
            "indicator_id", "measured_on", name=op.f("uq_measurement_indicator_id_measured_on")
        ),
    )
    op.create_index(
        op.f("ix_measurement_indicator_id"), "measurement", ["indicator_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("measurement")
    op.drop_table("role")
    op.drop_table("roadmap_milestone")
    op.drop_table("participation")
    op.drop_table("indicator")
    op.drop_table("transformative_goal")
    op.drop_table("stakeholder_event")
    op.drop_table("self_assessment_score")
    op.drop_table("revision_priority")
    op.drop_table("person")
    op.drop_table("follow_up")
    op.drop_table("evaluation")
    op.drop_table("action")
    op.drop_table("strategy_revision")
    op.drop_table("strategy_region")
    op.drop_table("self_assessment")
    op.drop_table("priority")
    op.drop_table("actor")
    op.drop_table("account_region")
    op.drop_table("strategy")
    op.drop_table("source_document")
    op.drop_table("region")
    op.drop_table("audit_log")
    op.drop_table("account")
