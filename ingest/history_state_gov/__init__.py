"""Import of the U.S. Office of the Historian's visits and travels data."""

from ingest.history_state_gov.importer import CHANGE_REASON, DATA_DIR, HistoryStateGovImport

__all__ = ["CHANGE_REASON", "DATA_DIR", "HistoryStateGovImport"]
