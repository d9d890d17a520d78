"""The demo: `make run` (`python -m enturf_demo`) and the demo data (`enturf-server seed_demo`).

It wires the pieces together, so it may import the server, the POS and the card-gateway
simulator; none of them imports it. Installed as a Django app (settings.INSTALLED_APPS) only
for its `seed_demo` management command; it has no models.
"""
