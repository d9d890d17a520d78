"""The manager's window (objectName ``managerWindow``), in tabs: events and their
tickets, the seat-map editor, an event's map (counter allocations, blocked seats), the
door (`door_tab.py`) and the reports (`reports_tab.py`: figures from the server's report
endpoints, kept for offline by `enturf_pos.services.reports`).

`window.py` only lays out and routes results to the message line; each tab holds its
own widgets and calls the catalog services, which write locally and queue the op."""
