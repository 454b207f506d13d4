"""Test suite: unit, integration and end-to-end tests mirroring the source layout."""
