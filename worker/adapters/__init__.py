"""Adapters wiring leaf packages into the application."""
