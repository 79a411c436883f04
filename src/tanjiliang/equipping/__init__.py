"""Required metering points, coverage, equipping rates (配备率) and tiers."""
