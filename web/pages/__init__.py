"""The HTML pages (server-rendered, Jinja2), in the reader's language."""
