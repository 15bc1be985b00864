"""Change detection (变化检测) between look-back rounds: the command line, the round page's
change polygons and their review, the map's flag, the leaders' precision figure."""

MESSAGES = {
    "cli.changes.unknown_site": {"zh": "--site {site}：没有这个点位",
                                 "en": "--site {site}: no such site"},
    "cli.changes.unknown_photo": {"zh": "照片 {photo}：没有这张照片",
                                  "en": "photo {photo}: no such photo"},
    "cli.changes.not_orthophoto": {
        "zh": "照片 {photo}：既不是正射影像，也不是航飞照片，无法做变化检测",
        "en": "photo {photo}: neither an orthophoto nor a drone flight's photo"},
    "cli.changes.no_flight": {
        "zh": "照片 {photo}：这张无人机照片不是随航飞批次上传的，不能代表一期航飞影像",
        "en": "photo {photo}: a drone photo uploaded with no flight"},
    "cli.changes.not_covering": {"zh": "照片 {photo}：没有覆盖点位 {site}",
                                 "en": "photo {photo}: does not cover site {site}"},
    "cli.changes.no_pair": {
        "zh": "点位 {site}：只有 {covering} 期影像（正射影像或航飞）覆盖，变化检测需要前后两期",
        "en": "site {site}: {covering} image(s) (orthophotos or flights) cover it; change "
              "detection needs an earlier and a later one"},
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
    "changes.dash.title": {"zh": "变化检测复核", "en": "Change detection review"},
    "changes.dash.confirmed": {"zh": "确认为反弹证据（个）", "en": "confirmed as recurrence"},
    "changes.dash.dismissed": {"zh": "已排除（个）", "en": "dismissed"},
    "changes.dash.unreviewed": {"zh": "待复核图斑（个）", "en": "awaiting review"},
    "changes.dash.precision": {"zh": "检测精确率", "en": "precision"},
    "changes.dash.dismissed_share": {"zh": "排除占比", "en": "share dismissed"},
    "changes.title": {"zh": "变化图斑（两期影像比对）",
                      "en": "Change polygons (the two rounds compared)"},
    "changes.swipe": {"zh": "卷帘对比", "en": "Swipe between the rounds"},
    "changes.swipe_hint": {"zh": "拖动滑块：左侧为本轮影像，右侧为前期影像；红框为变化图斑。",
                           "en": "Drag: this round on the left, the earlier one on the right; "
                                 "change polygons outlined in red."},
    "changes.none": {"zh": "本轮影像与前期影像比对，未检测到变化图斑。",
                     "en": "No change found between this round's images and the earlier ones."},
    "changes.number": {"zh": "图斑 {number}", "en": "Polygon {number}"},
    "changes.area": {"zh": "面积约 {area} 平方米", "en": "about {area} m²"},
    "changes.score": {"zh": "变化强度 {score}", "en": "score {score}"},
    "changes.shift": {"zh": "配准残差 {shift} 米", "en": "residual shift {shift} m"},
    "changes.before": {"zh": "前期", "en": "Before"},
    "changes.after": {"zh": "本期", "en": "After"},
    "changes.photo": {"zh": "照片 {id}", "en": "photo {id}"},
    "changes.state.unreviewed": {"zh": "待复核", "en": "awaiting review"},
    "changes.state.confirmed": {"zh": "已确认为反弹证据", "en": "confirmed as recurrence"},
    "changes.state.dismissed": {"zh": "已排除", "en": "dismissed"},
    "changes.reviewed": {"zh": "{who} 于 {at} 复核", "en": "reviewed by {who} at {at}"},
    "changes.reason_was": {"zh": "排除理由：{reason}", "en": "reason: {reason}"},
    "changes.note": {"zh": "复核意见（记入本轮回头看结论）",
                     "en": "Note (goes into the round's decision)"},
    "changes.note_default": {
        "zh": "无人机正射影像比对发现新增变化图斑（约 {area} 平方米），问题反弹",
        "en": "The orthophotos show a new change of about {area} m²: the problem recurred"},
    "changes.confirm_hint": {
        "zh": "确认后本轮回头看结论记为问题反弹，案件重新整改并下发督办单。",
        "en": "The round is then decided recurred: the case reopens and a supervision ticket "
              "is issued."},
    "changes.confirm": {"zh": "确认为反弹证据", "en": "Confirm as evidence of recurrence"},
    "changes.reason": {"zh": "排除理由", "en": "Reason for dismissing"},
    "changes.reason_hint": {"zh": "如：云影、季节性植被变化、车辆临时停放",
                            "en": "e.g. cloud shadow, seasonal vegetation, a parked vehicle"},
    "changes.dismiss": {"zh": "排除", "en": "Dismiss"},
    "changes.error.input": {"zh": "未能记录：请填写排除理由（不超过500字）。",
                            "en": "Not recorded: give a reason (at most 500 characters)."},
    "changes.error.note": {"zh": "未能记录：确认为反弹证据需要填写复核意见。",
                           "en": "Not recorded: confirming needs a note."},
    "changes.error.state": {"zh": "未能记录：该图斑已复核，或本轮回头看已作出其他结论。",
                            "en": "Not recorded: the polygon or the round was already decided."},
    "changes.error.not_allowed": {"zh": "未能记录：只有本点位回头看的第三方机构、领导或"
                                        "管理员可以复核。",
                                  "en": "Not recorded: only the site's look-back agency, a "
                                        "leader or an admin may review it."},
    "action.change.confirmed": {"zh": "确认变化图斑为反弹证据",
                                "en": "confirmed a change polygon"},
    "action.change.dismissed": {"zh": "排除变化图斑", "en": "dismissed a change polygon"},
}
