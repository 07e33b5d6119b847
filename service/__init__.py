"""vnproof HTTP service (FastAPI)."""
