"""Background jobs: a procrastinate queue in Servio's own PostgreSQL and the worker that runs it."""
