"""The door window (objectName ``doorWindow``): stewards scan tickets at a gate."""
