"""Accuracy (MPE) requirements and confirmation status of instruments."""
