"""Orthophoto internals (正射影像): safe GDAL access, inspection, COG conversion, rendering."""
