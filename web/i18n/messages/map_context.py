"""Messages of the map's basemaps, boundaries and phone tools (issue 15)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "map.basemap.vec": {"zh": "矢量", "en": "Map"},
    "map.basemap.img": {"zh": "影像", "en": "Imagery"},
    "map.basemap.custom": {"zh": "底图", "en": "Basemap"},
    "map.layer.boundaries": {"zh": "镇街界线", "en": "Town boundaries"},
    "map.layer.mine": {"zh": "我的网格", "en": "My grid cells"},
    "map.locate": {"zh": "我的位置", "en": "My position"},
    "map.locate.accuracy": {"zh": "我的位置（精度约 {metres} 米）",
                            "en": "My position (within about {metres} m)"},
    "map.locate.failed": {"zh": "无法获取当前位置，请在浏览器中允许定位后重试。",
                          "en": "Could not get your position: allow location in the browser "
                                "and try again."},
}
