"""Conventions: the named sets of choices that make complexity numbers comparable.

Economic-complexity software agrees on the formulas but not on the small choices
around them — is a region specialised at RCA ``>= 1`` or ``> 1``, does the proximity
matrix keep its diagonal, is PCI standardised with its own mean or with ECI's, how is
the sign of the eigenvector fixed, is the Complexity Outlook Index z-scored… Each of
those choices is one field of :class:`Convention`; a preset is a named, frozen set of
them. See ``docs/methods/conventions.md`` for every difference between presets.

Presets: ``"smartspec"`` (the default), ``"growthlab"`` (py-ecomplexity 0.5.3),
``"economiccomplexity"`` (the R package economiccomplexity 2.0.0, whose outputs equal
1.5.0's) and ``"econgeo"`` (the R package EconGeo 2.1, without its output rounding).

>>> get_convention("growthlab").pci_scale
'eci'
>>> get_convention(None).name
'smartspec'
>>> get_convention("economiccomplexity").ddof, get_convention("econgeo").density_scale
(1, 100.0)
>>> Convention(name="mine", threshold=1.5).threshold
1.5
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from smartspec.errors import InputError

BinariseOp = Literal[">=", ">"]
SignRule = Literal["diversity", "diversity_safe", "reflections"]
PciScale = Literal["eci", "own"]
CoiScale = Literal["zscore", "raw"]
CogScale = Literal["eci_std", "raw"]
OutlookPci = Literal["raw", "standardised"]
Counting = Literal["steps", "columns"]
Relatedness = Literal["proximity", "prob", "association", "cosine", "jaccard"]

__all__ = [
    "ECONGEO",
    "ECONOMICCOMPLEXITY",
    "GROWTHLAB",
    "PRESETS",
    "SMARTSPEC",
    "Convention",
    "get_convention",
]


@dataclass(frozen=True)
class Convention:
    """A frozen set of methodological choices.

    Parameters
    ----------
    name:
        Name of the convention (a preset's name, or your own label).
    threshold:
        RCA (or RPOP) threshold for binary presence, :math:`M_{cp} = [RCA_{cp} \\ge t]`.
    binarise_op:
        ``">="`` (Hidalgo & Hausmann 2009, py-ecomplexity) or ``">"``.
    proximity_diagonal:
        Value written on the diagonal of every proximity matrix; ``None`` keeps what the
        formula gives (1 for the conditional-probability forms).
    pci_scale:
        ``"eci"``: ECI and PCI are both standardised with the mean and standard deviation
        of the raw ECI (keeps :math:`ECI_c = \\langle PCI_p \\rangle_{p: M_{cp}=1}`);
        ``"own"``: each with its own mean and standard deviation.
    ddof:
        Delta degrees of freedom of the standard deviations (0 = population).
    sign_rule:
        ``"diversity"``: the eigenvector's sign is :math:`\\operatorname{sign}(\\rho(k_{c,0},
        k_c))`, exactly as py-ecomplexity (a zero or undefined correlation gives NaN);
        ``"diversity_safe"``: the same, but an undefined or zero correlation falls back to
        the correlation of PCI with minus ubiquity, then to +1 (and the diagnostics say so);
        ``"reflections"``: ECI and PCI are each flipped when their correlation with the
        method of reflections (``reflection_steps`` steps) is negative, as the R packages
        economiccomplexity and EconGeo do (the method of reflections itself is then
        left as computed).
    coi_scale:
        ``"zscore"``: COI is z-scored with its own mean and std over the regions of the
        period; ``"raw"``: left as computed.
    cog_scale:
        ``"eci_std"``: COG is divided by the standard deviation of the raw ECI (the scale
        PCI gets); ``"raw"``: left as computed.
    density_scale:
        Multiplier of density (1 gives a share in [0, 1]; 100 a percentage).
    outlook_pci:
        The PCI that COI and COG weight by: ``"raw"`` (the sign-fixed eigenvector before
        standardisation, as py-ecomplexity) or ``"standardised"`` (the PCI of the output
        column — the product complexity with ``method="fitness"`` — as R's
        ``complexity_outlook()``).
    counting:
        What ``steps`` (reflections) and ``iterations`` (fitness) count: ``"steps"`` —
        updates (reflections return :math:`k_{c,N}` and :math:`k_{p,N-1}`);
        ``"columns"`` — columns of the iterate matrix including the start, as R's
        economiccomplexity (``N`` means ``N-1`` updates; reflections return
        :math:`k_{c,N-2}` and :math:`k_{p,N-1}`; fitness runs exactly ``N-1`` updates).
    reflection_steps:
        Default ``steps`` of the method of reflections (also used by the
        ``"reflections"`` sign rule).
    fitness_iterations, fitness_tol:
        Default maximum iterations of fitness–complexity and its relative tolerance
        (0: run them all).
    relatedness:
        Activity relatedness used for density, COI and COG: ``"proximity"`` (the
        ``proximity=`` form of :func:`~smartspec.metrics.compute_metrics`), or one of
        EconGeo's normalisations of the co-occurrence matrix with zero diagonal —
        ``"prob"`` (Steijn's probability index), ``"association"`` (association
        strength), ``"cosine"``, ``"jaccard"`` (van Eck & Waltman 2009); see
        :func:`smartspec.metrics.relatedness.relatedness`.
    relatedness_threshold:
        If set, relatedness is binarised before density: 1 where it is ``>=`` the
        threshold, else 0 (EconGeo's documented workflow uses 1).
    """

    name: str = "custom"
    threshold: float = 1.0
    binarise_op: BinariseOp = ">="
    proximity_diagonal: float | None = 1.0
    pci_scale: PciScale = "eci"
    ddof: int = 0
    sign_rule: SignRule = "diversity_safe"
    coi_scale: CoiScale = "zscore"
    cog_scale: CogScale = "eci_std"
    density_scale: float = 1.0
    outlook_pci: OutlookPci = "raw"
    counting: Counting = "steps"
    reflection_steps: int = 20
    fitness_iterations: int = 200
    fitness_tol: float = 1e-12
    relatedness: Relatedness = "proximity"
    relatedness_threshold: float | None = None

    def __post_init__(self) -> None:
        if self.binarise_op not in (">=", ">"):
            raise InputError(f"binarise_op must be '>=' or '>', not {self.binarise_op!r}")
        if self.pci_scale not in ("eci", "own"):
            raise InputError(f"pci_scale must be 'eci' or 'own', not {self.pci_scale!r}")
        if self.sign_rule not in ("diversity", "diversity_safe", "reflections"):
            raise InputError(
                "sign_rule must be 'diversity', 'diversity_safe' or 'reflections', "
                f"not {self.sign_rule!r}"
            )
        if self.outlook_pci not in ("raw", "standardised"):
            raise InputError(
                f"outlook_pci must be 'raw' or 'standardised', not {self.outlook_pci!r}"
            )
        if self.counting not in ("steps", "columns"):
            raise InputError(f"counting must be 'steps' or 'columns', not {self.counting!r}")
        if self.relatedness not in ("proximity", "prob", "association", "cosine", "jaccard"):
            raise InputError(
                "relatedness must be 'proximity', 'prob', 'association', 'cosine' or "
                f"'jaccard', not {self.relatedness!r}"
            )
        if self.reflection_steps < (2 if self.counting == "columns" else 1):
            raise InputError(f"reflection_steps is too small: {self.reflection_steps}")
        if self.fitness_iterations < 1:
            raise InputError(f"fitness_iterations must be >= 1, not {self.fitness_iterations}")
        if self.coi_scale not in ("zscore", "raw"):
            raise InputError(f"coi_scale must be 'zscore' or 'raw', not {self.coi_scale!r}")
        if self.cog_scale not in ("eci_std", "raw"):
            raise InputError(f"cog_scale must be 'eci_std' or 'raw', not {self.cog_scale!r}")
        if not self.threshold > 0:
            raise InputError(f"threshold must be positive, not {self.threshold!r}")
        if self.ddof not in (0, 1):
            raise InputError(f"ddof must be 0 or 1, not {self.ddof!r}")

    def replace(self, **changes: Any) -> Convention:
        """A copy with some fields changed (``name`` becomes ``"<name>+custom"``).

        >>> get_convention("growthlab").replace(threshold=2).threshold
        2
        """
        if "name" not in changes:
            changes["name"] = self.name if self.name.endswith("+custom") else f"{self.name}+custom"
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dictionary (for provenance stamps)."""
        return dataclasses.asdict(self)


#: py-ecomplexity 0.5.3 (Growth Lab, Harvard; the STATA ``ecomplexity`` package):
#: M = RCA ≥ 1, proximity diagonal 1, ECI and PCI standardised with ECI's mean and std
#: (ddof 0), sign by correlation of ECI with diversity (NaN if undefined), COI z-scored,
#: COG divided by the raw ECI's std.
GROWTHLAB = Convention(
    name="growthlab",
    threshold=1.0,
    binarise_op=">=",
    proximity_diagonal=1.0,
    pci_scale="eci",
    ddof=0,
    sign_rule="diversity",
    coi_scale="zscore",
    cog_scale="eci_std",
    density_scale=1.0,
)

#: smartspec's default: the growthlab numbers wherever those are defined, with a sign
#: rule that never gives NaN (see docs/methods/conventions.md for why).
SMARTSPEC = dataclasses.replace(GROWTHLAB, name="smartspec", sign_rule="diversity_safe")

#: The R package economiccomplexity 2.0.0 (Vargas Sepúlveda; outputs equal to 1.5.0):
#: M = RCA ≥ 1; ECI and PCI each standardised with its own mean and sd (n − 1); each
#: flipped if it correlates negatively with the method of reflections (20 columns);
#: reflections and fitness count iterations as columns of the iterate matrix (20 → 19
#: updates; reflections return k_c,18 and k_p,19); fitness runs all of them; COI and COG
#: from the standardised PCI, not rescaled.
ECONOMICCOMPLEXITY = Convention(
    name="economiccomplexity",
    threshold=1.0,
    binarise_op=">=",
    proximity_diagonal=1.0,
    pci_scale="own",
    ddof=1,
    sign_rule="reflections",
    coi_scale="raw",
    cog_scale="raw",
    density_scale=1.0,
    outlook_pci="standardised",
    counting="columns",
    reflection_steps=20,
    fitness_iterations=20,
    fitness_tol=0.0,
)

#: The R package EconGeo 2.1 (Balland), without its output rounding: location quotient
#: binarised at 1; relatedness = the probability index of the co-occurrence matrix with
#: zero diagonal, binarised at 1 (its documented workflow); relatedness density in
#: percent. ECI/PCI: eigenvector z-scores (n − 1) signed by the method of reflections
#: (EconGeo's kci/tci rescale by the vector's sum; see docs/methods/conventions.md).
ECONGEO = Convention(
    name="econgeo",
    threshold=1.0,
    binarise_op=">=",
    proximity_diagonal=0.0,
    pci_scale="own",
    ddof=1,
    sign_rule="reflections",
    coi_scale="raw",
    cog_scale="raw",
    density_scale=100.0,
    outlook_pci="standardised",
    counting="steps",
    reflection_steps=20,
    fitness_iterations=200,
    relatedness="prob",
    relatedness_threshold=1.0,
)

PRESETS: dict[str, Convention] = {
    c.name: c for c in (SMARTSPEC, GROWTHLAB, ECONOMICCOMPLEXITY, ECONGEO)
}


def get_convention(convention: str | Convention | None) -> Convention:
    """Resolve a preset name, a :class:`Convention` or ``None`` (the default).

    >>> get_convention("GrowthLab").sign_rule
    'diversity'
    """
    if convention is None:
        return SMARTSPEC
    if isinstance(convention, Convention):
        return convention
    if isinstance(convention, str):
        key = convention.strip().lower()
        if key in PRESETS:
            return PRESETS[key]
        raise InputError(
            f"unknown convention {convention!r}",
            hint="use one of " + ", ".join(repr(k) for k in PRESETS) + " or a Convention",
        )
    raise InputError(f"convention must be a name or a Convention, not {type(convention).__name__}")
