"""The screens (issue 5 §4). Every view reaches data through ``core.tenancy``."""
