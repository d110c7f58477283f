"""Conventions: the named sets of choices that make complexity numbers comparable.

Economic-complexity software agrees on the formulas but not on the small choices
around them — is a region specialised at RCA ``>= 1`` or ``> 1``, does the proximity
matrix keep its diagonal, is PCI standardised with its own mean or with ECI's, how is
the sign of the eigenvector fixed, is the Complexity Outlook Index z-scored… Each of
those choices is one field of :class:`Convention`; a preset is a named, frozen set of
them. See ``docs/methods/conventions.md`` for every difference between presets.

>>> get_convention("growthlab").pci_scale
'eci'
>>> get_convention(None).name
'smartspec'
>>> Convention(name="mine", threshold=1.5).threshold
1.5
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from smartspec.errors import InputError

BinariseOp = Literal[">=", ">"]
SignRule = Literal["diversity", "diversity_safe"]
PciScale = Literal["eci", "own"]
CoiScale = Literal["zscore", "raw"]
CogScale = Literal["eci_std", "raw"]

__all__ = [
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
        the correlation of PCI with minus ubiquity, then to +1 (and the diagnostics say so).
    coi_scale:
        ``"zscore"``: COI is z-scored with its own mean and std over the regions of the
        period; ``"raw"``: left as computed.
    cog_scale:
        ``"eci_std"``: COG is divided by the standard deviation of the raw ECI (the scale
        PCI gets); ``"raw"``: left as computed.
    density_scale:
        Multiplier of density (1 gives a share in [0, 1]; 100 a percentage).
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

    def __post_init__(self) -> None:
        if self.binarise_op not in (">=", ">"):
            raise InputError(f"binarise_op must be '>=' or '>', not {self.binarise_op!r}")
        if self.pci_scale not in ("eci", "own"):
            raise InputError(f"pci_scale must be 'eci' or 'own', not {self.pci_scale!r}")
        if self.sign_rule not in ("diversity", "diversity_safe"):
            raise InputError(
                f"sign_rule must be 'diversity' or 'diversity_safe', not {self.sign_rule!r}"
            )
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

PRESETS: dict[str, Convention] = {c.name: c for c in (SMARTSPEC, GROWTHLAB)}


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
