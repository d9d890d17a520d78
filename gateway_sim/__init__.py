"""A local card gateway speaking a faithful subset of Stripe's v1 REST API.

Start it with ``enturf-gateway-sim --port N`` or, from Python and tests, with
:func:`gateway_sim.testing.start_simulator`. See ``docs/gateway.md``.
"""

DEFAULT_API_VERSION = "2023-08-16"
