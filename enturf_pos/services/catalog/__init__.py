"""The local catalog as windows read it, and a manager's edits of events and tickets."""
