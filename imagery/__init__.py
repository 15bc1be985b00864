"""Photos and rasters: metadata, footprints, the file store, orthophotos."""
