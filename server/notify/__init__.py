"""Notifications: domain events through administrators' rules into messages (in the app, Web
Push, email, SMS), each with an idempotency key and a delivery log."""
