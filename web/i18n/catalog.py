"""The messages, by key: {"zh": ..., "en": ...}. Domain terms as the glossary gives them."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "app.name": {"zh": "回头看 · 生态环境督察整改", "en": "Lookback · inspection rectification"},
    "nav.language": {"zh": "English", "en": "中文"},
    "nav.logout": {"zh": "退出登录", "en": "Sign out"},
    "nav.upload": {"zh": "上传照片", "en": "Upload photos"},
    "nav.api_docs": {"zh": "接口文档", "en": "API docs"},
    "login.title": {"zh": "登录", "en": "Sign in"},
    "login.name": {"zh": "用户名", "en": "User name"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Sign in"},
    "login.failed": {"zh": "用户名或密码错误，请重试。", "en": "Wrong user name or password."},
    "login.limited": {"zh": "登录失败次数过多，请 {minutes} 分钟后再试。",
                      "en": "Too many failed sign-ins; try again in {minutes} minutes."},
    "home.title": {"zh": "工作台", "en": "Home"},
    "home.signed_in_as": {"zh": "当前用户：{name}（{role}）", "en": "Signed in as {name} ({role})"},
    "role.grid_officer": {"zh": "网格员", "en": "grid officer"},
    "role.inspector": {"zh": "第三方检查人员", "en": "inspector"},
    "role.unit": {"zh": "责任单位", "en": "responsible unit"},
    "role.leader": {"zh": "领导", "en": "leader"},
    "role.admin": {"zh": "管理员", "en": "administrator"},
    "error.csrf": {"zh": "页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试。",
                   "en": "The page is stale or the request's origin is unknown (CSRF check "
                         "failed); reload the page and try again."},
    "error.not_signed_in": {"zh": "请先登录。", "en": "Please sign in."},
    "error.forbidden": {"zh": "您的角色无权执行此操作。", "en": "Your role may not do this."},
    "error.not_found": {"zh": "未找到该记录。", "en": "Not found."},
}
