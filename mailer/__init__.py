"""E-mail in both directions: mailboxes, senders, MIME and header logic."""
