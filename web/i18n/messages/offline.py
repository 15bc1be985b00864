"""Messages of the upload page's queue on the device (photos taken with no signal, sent when
the connection returns)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "upload.queue": {"zh": "本机待发送照片", "en": "Photos on this device"},
    "upload.queue_empty": {"zh": "没有等待发送的照片", "en": "Nothing waiting to be sent"},
    "upload.queue_count": {"zh": "{count} 张照片等待发送", "en": "{count} photo(s) waiting"},
    "upload.send_now": {"zh": "立即发送", "en": "Send now"},
    "upload.offline": {"zh": "当前无网络：照片先保存在本机，联网后自动发送。",
                       "en": "No connection: photos are kept on this device and sent when it "
                             "returns."},
    "upload.state.waiting": {"zh": "等待发送", "en": "Waiting"},
    "upload.state.sending": {"zh": "正在发送", "en": "Sending"},
    "upload.state.sent": {"zh": "已发送", "en": "Sent"},
    "upload.state.refused": {"zh": "被拒绝：{reason}", "en": "Refused: {reason}"},
    "upload.queued_at": {"zh": "{year}年{month}月{day}日 {time} 存入本机",
                         "en": "Kept on this device {year}-{month}-{day} {time}"},
    "upload.offline_wait": {"zh": "网络中断，联网后自动发送",
                            "en": "The connection dropped; sent when it returns"},
    "upload.server_wait": {"zh": "服务器暂时无法接收，稍后自动重试",
                           "en": "The server cannot take it now; tried again shortly"},
    "upload.sign_in_again": {"zh": "登录已失效，请重新登录后发送",
                             "en": "Signed out: sign in again to send"},
    "upload.remove": {"zh": "移除", "en": "Remove"},
}
