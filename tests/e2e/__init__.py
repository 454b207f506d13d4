"""End-to-end stories against real Dovecot, SMTP, Redis and PostgreSQL."""
