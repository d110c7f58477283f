"""The strategy registry: S3 strategies and priorities with their full history.

Regions' strategies (and joint strategies of several regions) are stored as immutable,
dated revisions with their sources; priorities keep their identity across revisions;
every write is in the audit log; edits use optimistic concurrency. SQLite by default
(``registry.sqlite`` in the data directory), PostgreSQL for shared deployments; the
schema is managed by the Alembic migrations shipped in ``registry/migrations``.

Importing this package imports SQLAlchemy; ``import smartspec`` does not import it.

Example::

    from smartspec.registry import open_registry, load_bundled

    reg = open_registry()          # registry.sqlite in the data directory
    load_bundled(reg)              # the 21 Swedish regions and their published priorities
    reg.show("SE211", at="2019-06-01").labels()
    # ['Attityder för innovationer', 'Effektiva processer för innovation',
    #  'Samverkan för innovation']
"""

from __future__ import annotations

from smartspec.registry.bundled import load_bundled
from smartspec.registry.classification import (
    ClassificationView,
    ReviewStatus,
    SuggestReport,
    classifications,
    suggest_classifications,
)
from smartspec.registry.dates import DatePrecision, PartialDate
from smartspec.registry.errors import ConflictError, ImmutableError
from smartspec.registry.models import (
    ClassificationScheme,
    ClassificationStatus,
    Helix,
    PriorityKind,
    StrategyKind,
    StrategyStatus,
)
from smartspec.registry.service import Registry, open_registry
from smartspec.registry.views import (
    AuditRecord,
    Diff,
    ImportReport,
    PriorityChange,
    PriorityView,
    RegionInfo,
    RegionPriorities,
    RevisionInfo,
    SourceInfo,
    StrategyState,
)

__all__ = [
    "AuditRecord",
    "ClassificationScheme",
    "ClassificationStatus",
    "ClassificationView",
    "ConflictError",
    "DatePrecision",
    "Diff",
    "Helix",
    "ImmutableError",
    "ImportReport",
    "PartialDate",
    "PriorityChange",
    "PriorityKind",
    "PriorityView",
    "RegionInfo",
    "RegionPriorities",
    "Registry",
    "ReviewStatus",
    "RevisionInfo",
    "SourceInfo",
    "StrategyKind",
    "StrategyState",
    "StrategyStatus",
    "SuggestReport",
    "classifications",
    "load_bundled",
    "open_registry",
    "suggest_classifications",
]
