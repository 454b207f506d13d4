"""Unit tests of the worker: pure domain and use cases with fakes."""
