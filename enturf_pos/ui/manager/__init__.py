"""The manager's window (objectName ``managerWindow``), in tabs: events and their
tickets, the seat-map editor, an event's map (counter allocations, blocked seats).

`window.py` only lays out and routes results to the message line; each tab holds its
own widgets and calls the catalog services, which write locally and queue the op."""
