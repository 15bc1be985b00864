"""Vector geodata: CRS handling, layer import, the database and spatial queries."""
