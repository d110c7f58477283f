"""Errors of the strategy registry."""

from __future__ import annotations

from smartspec.errors import SmartspecError

__all__ = ["ConflictError", "ImmutableError"]


class ConflictError(SmartspecError):
    """An edit was based on a version of a strategy that is no longer current.

    Nothing was written. Reload the strategy, reapply the change and try again.

    Parameters
    ----------
    strategy:
        Code of the strategy (a region code, or the code of a joint strategy); ``None``
        when a write touching several strategies (an import) met a concurrent edit.
    expected:
        The version the edit was based on.
    current:
        The version in the registry, if known.

    Examples
    --------
    >>> print(ConflictError("SE211", expected=3, current=4))  # doctest: +NORMALIZE_WHITESPACE
    strategy SE211 has changed: your edit was based on version 3, the registry holds
    version 4; nothing was written (reload and apply your change again)
    """

    def __init__(
        self, strategy: str | None, *, expected: int | None = None, current: int | None = None
    ) -> None:
        self.strategy = strategy
        self.expected = expected
        self.current = current
        if strategy is None:
            super().__init__(
                "another edit changed a strategy while this write ran; nothing was written "
                "(try again)"
            )
            return
        base = f"version {expected}" if expected is not None else "an earlier version"
        now = f"version {current}" if current is not None else "a newer version"
        super().__init__(
            f"strategy {strategy} has changed: your edit was based on {base}, the registry "
            f"holds {now}; nothing was written (reload and apply your change again)"
        )


class ImmutableError(SmartspecError):
    """An attempt to change or delete a revision, which are immutable once written."""
