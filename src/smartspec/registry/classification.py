"""Classifying priorities: suggested NACE divisions and themes, reviewed by an editor.

For every current priority, :func:`suggest_classifications` asks
:func:`smartspec.taxonomy.classify` for (a) NACE Rev. 2 divisions and (b) cross-cutting
themes (:func:`smartspec.taxonomy.themes`), each with a confidence score and evidence,
and stores them as ``suggested`` :class:`~smartspec.registry.models.PriorityClassification`
rows. An editor then reviews them: :func:`review` accepts or rejects one suggestion,
:func:`correct` sets the full list of codes of one scheme (listed suggestions become
``accepted``, listed codes that were not suggested are ``added``, every other row of the
scheme is ``rejected``). :func:`pending_review` and :func:`review_status` say what still
needs a look.

Rules
-----
- The text classified is the priority's label in the current revision (the latest
  effective one): the Swedish label, and the English label if there is one. Each label
  is classified on its own and, per code, the higher score is kept (so a concept named
  in both languages is not counted twice); the best ``top`` codes per scheme are stored.
- A new suggestion run **never changes a reviewed row** (accepted, rejected, added).
  With ``overwrite_unreviewed`` (the default) it brings the unreviewed suggestions up to
  date: new codes are added, changed scores and evidence are updated, and unreviewed
  suggestions the classifier no longer makes are removed. Running it again with the same
  labels and classifier changes nothing (and writes no audit entry).
- Every write is one audited transaction (operations ``suggest_classifications``,
  ``review_classification``, ``correct_classifications``).
- Classifications describe a priority; they are not part of the published strategy.
  So they record **no strategy revision** and do not change the strategy's ``version``
  (an editor classifying a priority never conflicts with one editing the strategy); the
  audit log keeps their history.

Modules
    :mod:`~smartspec.registry.classification_codes` (NACE divisions and themes:
    :func:`normalize_code`, :func:`code_name`),
    :mod:`~smartspec.registry.classification_store` (the stored rows and the priorities
    they describe: :class:`ClassificationView`, :func:`classifications`),
    :mod:`~smartspec.registry.classification_suggest` (running the classifier:
    :func:`suggest_classifications`),
    :mod:`~smartspec.registry.classification_review` (the review queue:
    :func:`pending_review`, :func:`review_status`, :func:`review`, :func:`correct`).

This module re-exports their public names.

>>> import tempfile, pathlib
>>> from smartspec.registry import open_registry
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_registry(pathlib.Path(folder) / "r.sqlite", user="doctest") as reg:
...         _ = reg.load_bundled()
...         report = suggest_classifications(reg, region="SE211")
...         food = [c for c in classifications(reg, "SE211")
...                 if c.label == "Livsmedel och livsmedelsförädling" and c.scheme == "nace"]
...         print([(c.code, c.score, c.status.value) for c in food])
[('10', 1.0, 'suggested'), ('11', 0.792, 'suggested'), ('01', 0.7, 'suggested')]
"""

from __future__ import annotations

from smartspec.registry.classification_codes import code_name, normalize_code
from smartspec.registry.classification_review import (
    ReviewStatus,
    correct,
    pending_review,
    review,
    review_status,
)
from smartspec.registry.classification_store import ClassificationView, classifications
from smartspec.registry.classification_suggest import (
    CLASSIFIER_VERSIONS,
    SuggestReport,
    classifier_version,
    suggest_classifications,
)

__all__ = [
    "CLASSIFIER_VERSIONS",
    "ClassificationView",
    "ReviewStatus",
    "SuggestReport",
    "classifications",
    "classifier_version",
    "code_name",
    "correct",
    "normalize_code",
    "pending_review",
    "review",
    "review_status",
    "suggest_classifications",
]
