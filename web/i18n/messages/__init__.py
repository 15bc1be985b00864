"""The message catalog's parts, one module per area, each with a MESSAGES dict
({key: {"zh": ..., "en": ...}}); web.i18n.catalog joins them."""
