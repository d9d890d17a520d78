"""The door: scanning tickets at the gates, online or offline (docs/pos.md "At the door")."""
