"""The finance HTTP API (FastAPI)."""
