"""Metering data: readings I/O (polars), quality checks, monthly activity, reconciliation,
CEMS and out-of-tolerance impact (docs/data.md)."""
