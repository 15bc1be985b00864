"""Change detection (变化检测) between look-back rounds: the command line, the round page's
change polygons and their review, the map's flag, the leaders' precision figure."""

MESSAGES = {
    "cli.changes.unknown_site": {"zh": "--site {site}：没有这个点位",
                                 "en": "--site {site}: no such site"},
    "cli.changes.unknown_photo": {"zh": "照片 {photo}：没有这张照片",
                                  "en": "photo {photo}: no such photo"},
    "cli.changes.not_orthophoto": {"zh": "照片 {photo}：不是正射影像，无法做变化检测",
                                   "en": "photo {photo}: not an orthophoto"},
    "cli.changes.not_covering": {"zh": "照片 {photo}：没有覆盖点位 {site}",
                                 "en": "photo {photo}: does not cover site {site}"},
    "cli.changes.no_pair": {
        "zh": "点位 {site}：只有 {covering} 期正射影像覆盖，变化检测需要前后两期",
        "en": "site {site}: {covering} orthophoto(s) cover it; change detection needs an "
              "earlier and a later one"},
    "cli.changes.same_photo": {"zh": "点位 {site}：前后两期是同一张影像（照片 {photo}）",
                               "en": "site {site}: photo {photo} compared with itself"},
    "cli.changes.failed": {"zh": "点位 {site}：变化检测失败（{detail}）",
                           "en": "site {site}: change detection failed ({detail})"},
    "cli.changes.summary": {
        "zh": "点位 {site}：照片 {before} → {after}，发现变化图斑 {count} 个，配准残差 {shift} 米",
        "en": "site {site}: photo {before} -> {after}, {count} change polygon(s), residual "
              "shift {shift} m"},
    "cli.changes.area": {"zh": "面积（平方米）", "en": "area (m²)"},
    "cli.changes.score": {"zh": "变化强度", "en": "score"},
}
