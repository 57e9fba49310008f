"""Settings and the folders Cove keeps its data in."""
