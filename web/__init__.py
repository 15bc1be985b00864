"""The application: settings, the command line, the FastAPI app and its pages."""
