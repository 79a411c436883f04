"""The metering app: enterprises, units, the instrument ledger, confirmations, files,
readings, history; the screens and the REST API."""
