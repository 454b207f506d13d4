"""Use cases: ingest, tick, send, reply handling; each one transaction-shaped."""
