"""Streaming imports and exports of registry records (CSV and JSON Lines)."""

from jaga.registry.importers.exporter import export_records
from jaga.registry.importers.reader import FileFormat, detect_format
from jaga.registry.importers.runner import ImportSummary, run_import

__all__ = ["FileFormat", "ImportSummary", "detect_format", "export_records", "run_import"]
