nav_admin = 系统管理
title = 系统管理
intro = 新增、改名或停用窗口，打印各大厅的二维码，查看每一次变更的记录。
counters_heading = 窗口
code_col = 代码
name_col = 名称
place_col = 大厅与部门
status_col = 状态
open = 使用中
# Filled in: { $code }.
retired_to = 已停用，改到 { $code }
retired_plain = 已停用
add_heading = 新增窗口
code_label = 窗口代码
code_hint = 英文字母、数字或连字符，最多 16 个字符。代码印在二维码贴纸上，之后不能更改。
hall_label = 大厅
department_label = 部门
name_labels =
    .item-1 = 名称（繁體中文）
    .item-2 = 名称（简体中文）
    .item-3 = 名称（英文）
add_button = 新增窗口
# Filled in: { $code }.
change_legend = 变更窗口 { $code }
rename_button = 改名
replaced_by_label = 停用后请群众改到
replaced_by_hint = 扫描旧二维码的群众会看到这个窗口。
no_replacement = 不指定
retire_button = 停用窗口
qr_heading = 二维码打印
# Filled in: { $hall }.
qr_link = 打印 { $hall } 的二维码
# Filled in: { $hall }.
qr_title = 二维码：{ $hall }
qr_intro = 每个使用中的窗口一张卡片，用 A4 纸打印（浏览器的打印功能）。
qr_card_hint = 扫码评价本窗口
audit_heading = 变更记录
when_col = 时间
who_col = 操作人
what_col = 变更
subject_col = 对象
detail_col = 内容
no_audit = 还没有任何变更。
# created, renamed, retired.
done =
    .item-1 = 已新增窗口。
    .item-2 = 已改名。
    .item-3 = 已停用窗口。
# counter_created, counter_renamed, counter_retired.
action_names =
    .item-1 = 新增窗口
    .item-2 = 窗口改名
    .item-3 = 停用窗口
err_code_format = 代码只能有英文字母、数字或连字符，最多 16 个字符。
err_code_taken = 这个代码已经有人使用（包括已停用的），请换一个。
err_days_range = 办理时限要填 0 到 365 之间的整数（工作日）。
err_url_invalid = 请输入以 https:// 或 http:// 开头的网址，不含空格、问号或井号，例如 https://qr.example.gov。
url_heading = 公开网址
url_label = 二维码和邮件链接使用的网址
url_hint = 印在二维码上、写在邮件链接里的网址开头。改了以后要重新打印二维码；旧贴纸上的网址仍要能打开。
url_button = 保存网址
url_done = 已保存公开网址。
url_action = 变更设置
halls_heading = 大厅
departments_heading = 部门
add_hall = 新增大厅
add_department = 新增部门
# Filled in: { $code }.
rename_legend = 改名 { $code }
# created, renamed.
# Added, renamed, retired.
place_done =
    .item-1 = 已新增。
    .item-2 = 已改名。
    .item-3 = 已停用。
# A hall's or department's retire button: { $code }.
retire_place = 停用 { $code }
# Shown beside a retired hall or department.
place_retired = 已停用
err_place_in_use = 还有开放中的窗口、在职的账号或仍在处理的案件属于这里：请先停用或移走窗口和账号，并结案或转交案件，再停用。
# hall_created, hall_renamed, department_created, department_renamed.
place_actions =
    .item-1 = 新增大厅
    .item-2 = 大厅改名
    .item-3 = 新增部门
    .item-4 = 部门改名
retired_title = 这个窗口已停用
retired_body = 这个窗口已不再提供服务，无法评价。
# Filled in: { $name }, { $code }.
go_instead = 请改到 { $name }（{ $code }）。
rate_instead = 评价这个窗口
