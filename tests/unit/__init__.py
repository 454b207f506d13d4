"""Unit tests: pure, fast, with fakes instead of servers."""
