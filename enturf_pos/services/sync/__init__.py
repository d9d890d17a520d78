"""Sync with the server: the outbox, pushing it, pulling the change feed, applying it, conflicts."""
