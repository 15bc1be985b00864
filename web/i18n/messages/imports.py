"""Files as bureaus hand them over: a GeoTIFF exported without its CRS, a CRS declared on
the command line."""

MESSAGES = {
    "upload.reason.no_crs": {
        "zh": "该 GeoTIFF 有地理变换但没有坐标系（CRS）（导出时未带投影），无法确定位置。"
              "请带投影重新导出；或请管理员用 --crs 声明坐标系后导入"
              "（lookback ingest 文件 --crs EPSG:4549）。",
        "en": "The GeoTIFF has a geotransform but no CRS (it was exported without its "
              "projection), so it cannot be placed. Export it again with its projection, "
              "or have an administrator declare the CRS with --crs "
              "(lookback ingest FILE --crs EPSG:4549)."},
    "cli.reason.no_crs": {
        "zh": "{file}：该 GeoTIFF 有地理变换但没有坐标系（CRS）（导出时未带投影），无法确定位置；"
              "请用 --crs 声明坐标系，例如 lookback ingest {file} --crs EPSG:4549",
        "en": "{file}: the GeoTIFF has a geotransform but no CRS (it was exported without its "
              "projection), so it cannot be placed; declare the CRS with --crs, e.g. "
              "lookback ingest {file} --crs EPSG:4549"},
    "cli.ingest.bad_crs": {"zh": "--crs {crs}：不是 PROJ 认识的坐标系（{problem}）",
                           "en": "--crs {crs}: not a CRS PROJ knows ({problem})"},
}
