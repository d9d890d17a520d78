"""Shifts and day close at the counter."""
