"""The REST API under /api: thin routes over the services, JSON in and out."""
