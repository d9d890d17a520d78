"""Shared test infrastructure: the real server as a subprocess, a fault-injecting TCP proxy."""
