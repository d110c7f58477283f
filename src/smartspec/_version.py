"""The version of smartspec (single source, read by hatchling)."""

__version__ = "0.1.0"
