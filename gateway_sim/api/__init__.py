"""Handlers of the Stripe v1 endpoints the simulator serves, and their routes."""
