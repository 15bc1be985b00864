"""Messages of the upload page's look-ups with no signal: whether a photo's place is in the
officer's own grid and the nearest site, said before the photo is sent."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "upload.area.inside": {"zh": "位于你的网格内（{cell}）", "en": "In your grid ({cell})"},
    "upload.area.outside": {"zh": "不在你的网格内", "en": "Outside your grid"},
    "upload.area.nearest": {"zh": "最近点位：{name}（{code}），约 {distance} 米",
                            "en": "Nearest site: {name} ({code}), about {distance} m"},
    "upload.area.no_site": {"zh": "{radius} 米内没有点位", "en": "No site within {radius} m"},
    "upload.area.no_place": {"zh": "暂无位置：发送后按照片信息定位",
                             "en": "No position yet: located from the photo once sent"},
    "upload.area.from.manual": {"zh": "手动标注", "en": "pin"},
    "upload.area.from.device": {"zh": "设备定位", "en": "device"},
    "upload.area.from.exif": {"zh": "照片 GPS", "en": "photo GPS"},
    "upload.area.source": {"zh": "位置来自{source}：", "en": "Position from the {source}: "},
}
