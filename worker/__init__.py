"""The application: domain, storage, jobs, API and the composition root."""
