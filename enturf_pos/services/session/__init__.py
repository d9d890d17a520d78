"""The counter's session: configuration and secrets, the HTTP client, login and unlock, device registration, administrators' approvals."""
