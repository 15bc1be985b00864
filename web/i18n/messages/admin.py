"""The accounts pages' messages (账号管理, administrators only)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.accounts": {"zh": "账号", "en": "Accounts"},
    "accounts.title": {"zh": "账号管理", "en": "Accounts"},
    "accounts.count": {"zh": "共 {count} 个账号", "en": "{count} accounts"},
    "accounts.new": {"zh": "新建账号", "en": "New account"},
    "accounts.name": {"zh": "登录名", "en": "Sign-in name"},
    "accounts.name_hint": {"zh": "2 至 64 个字符：小写字母、数字、“.”“_”“-”",
                           "en": "2 to 64 characters: a-z, 0-9, '.', '_', '-'"},
    "accounts.role": {"zh": "角色", "en": "Role"},
    "accounts.bindings": {"zh": "负责范围", "en": "Bound to"},
    "accounts.grid": {"zh": "网格", "en": "Grid cells"},
    "accounts.grid_hint": {"zh": "网格员只能看到所选网格内的照片和案件。",
                           "en": "A grid officer sees only the photos and cases of these "
                                 "grid cells."},
    "accounts.grid_count": {"zh": "{count} 个网格", "en": "{count} grid cells"},
    "accounts.no_town": {"zh": "未划入街镇", "en": "No town"},
    "accounts.agency": {"zh": "第三方机构", "en": "Agency"},
    "accounts.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "accounts.password": {"zh": "初始密码", "en": "Initial password"},
    "accounts.password_hint": {"zh": "至少 8 个字符；请当面或通过安全渠道告知本人。",
                               "en": "At least 8 characters; hand it over in person or "
                                     "over a safe channel."},
    "accounts.state": {"zh": "状态", "en": "State"},
    "accounts.active": {"zh": "启用", "en": "Active"},
    "accounts.disabled": {"zh": "已停用", "en": "Disabled"},
    "accounts.none_bound": {"zh": "—", "en": "—"},
    "accounts.open": {"zh": "查看", "en": "Open"},
    "accounts.create": {"zh": "创建账号", "en": "Create the account"},
    "accounts.create_confirm": {
        "zh": "提交后将创建该账号，本人可立即用登录名和初始密码登录。",
        "en": "The account is created when you submit; its owner can sign in at once with "
              "the name and the initial password."},
    "accounts.created": {"zh": "已创建账号 {name}（{role}）。",
                         "en": "Account {name} ({role}) created."},
    "accounts.disable": {"zh": "停用账号", "en": "Disable the account"},
    "accounts.disable_confirm": {
        "zh": "停用后，{name} 立即退出登录，且不能再登录，直到重新启用。",
        "en": "Once disabled, {name} is signed out at once and cannot sign in until the "
              "account is enabled again."},
    "accounts.disabled_done": {"zh": "已停用账号 {name}，其登录已全部失效。",
                               "en": "Account {name} disabled; its sessions have ended."},
    "accounts.enable": {"zh": "重新启用", "en": "Enable the account"},
    "accounts.enable_confirm": {"zh": "启用后，{name} 可以用原密码再次登录。",
                                "en": "Once enabled, {name} can sign in with the same "
                                      "password again."},
    "accounts.enabled_done": {"zh": "已重新启用账号 {name}。", "en": "Account {name} enabled."},
    "accounts.self": {"zh": "这是您自己的账号，不能停用。",
                      "en": "This is your own account; you cannot disable it."},
    "accounts.reset": {"zh": "重置密码", "en": "Reset the password"},
    "accounts.reset_confirm": {
        "zh": "重置后，{name} 的旧密码立即失效并退出登录；新密码只显示一次。",
        "en": "Once reset, {name}'s old password stops working and their sessions end; the "
              "new password is shown once."},
    "accounts.reset_done": {"zh": "已为 {name} 重置密码", "en": "Password of {name} reset"},
    "accounts.new_password": {"zh": "新密码", "en": "New password"},
    "accounts.shown_once": {
        "zh": "新密码只在此页显示一次，系统不保存明文。请立即告知本人，离开此页后无法再次查看。",
        "en": "The new password is shown on this page once and is not stored in clear. Hand "
              "it over now; it cannot be shown again."},
    "accounts.back": {"zh": "返回账号列表", "en": "Back to the accounts"},
    "accounts.change_role": {"zh": "修改角色和负责范围", "en": "Change the role and bindings"},
    "accounts.change_confirm": {
        "zh": "保存后，{name} 下次打开页面即按新角色和负责范围办理，原有登录不受影响。",
        "en": "Once saved, {name} works under the new role and bindings from their next page; "
              "their sessions stay open."},
    "accounts.change_save": {"zh": "保存修改", "en": "Save the change"},
    "accounts.changed_done": {"zh": "已修改账号 {name} 的角色和负责范围。",
                              "en": "Role and bindings of account {name} changed."},
    "accounts.error.own_role": {"zh": "不能修改自己的角色，请由其他管理员办理。",
                                "en": "You may not change your own role; ask another "
                                      "administrator."},
    "accounts.error.change_form": {"zh": "未保存，请按提示修改后再提交。",
                                   "en": "Nothing was saved; correct what is marked and "
                                         "submit again."},
    "accounts.back_one": {"zh": "返回账号 {name}", "en": "Back to account {name}"},
    "accounts.working": {"zh": "正在提交…", "en": "Submitting…"},
    "accounts.error.name_format": {
        "zh": "登录名须为 2 至 64 个字符，只能用小写字母、数字、“.”“_”“-”。",
        "en": "A name is 2 to 64 characters of a-z, 0-9, '.', '_' and '-'."},
    "accounts.error.name_reserved": {"zh": "该登录名为系统保留，请换一个。",
                                     "en": "That name is reserved; choose another."},
    "accounts.error.name_taken": {"zh": "登录名已被使用，请换一个。",
                                  "en": "This name is taken; choose another."},
    "accounts.error.role_unknown": {"zh": "请选择角色。", "en": "Choose a role."},
    "accounts.error.required.grid": {"zh": "网格员至少要选择一个网格。",
                                     "en": "A grid officer needs at least one grid cell."},
    "accounts.error.required.agency": {"zh": "第三方检查人员须填写所属机构。",
                                       "en": "An inspector needs an agency."},
    "accounts.error.required.unit": {"zh": "责任单位人员须填写所属责任单位。",
                                     "en": "A unit member needs a responsible unit."},
    "accounts.error.only_for.grid": {"zh": "只有网格员才绑定网格，请取消所选网格或改选角色。",
                                     "en": "Only grid officers are bound to grid cells."},
    "accounts.error.only_for.agency": {"zh": "只有第三方检查人员才填写机构。",
                                       "en": "Only inspectors have an agency."},
    "accounts.error.only_for.unit": {"zh": "只有责任单位人员才填写责任单位。",
                                     "en": "Only unit members have a responsible unit."},
    "accounts.error.unknown_grid": {"zh": "没有编号为 {codes} 的网格。",
                                    "en": "No grid cell with code {codes}."},
    "accounts.error.password_short": {"zh": "密码至少 {min} 个字符。",
                                      "en": "The password must be at least {min} characters."},
    "accounts.error.form": {"zh": "账号未创建，请按提示修改后再提交。",
                            "en": "The account was not created; correct the fields marked."},
}
