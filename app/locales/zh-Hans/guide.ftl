nav = 办事指南
title = 办事指南
intro = 每项服务要多少个工作日、要带齐哪些材料，全部写在这里：窗口不应要求清单以外的材料或步骤。如果被要求了，可以投诉（类别“乱设门槛”）。
department_label = 部门
all_departments = 全部部门
show_button = 显示
none = 这个部门还没有公布服务事项。
# A service's time limit: { $n } working days.
days = { $n } 个工作日
on_the_spot = 即办（当场办结）
time_limit = 办理时限
bring = 要带的材料
counter_link = 查看这个部门的办事指南
complain_hint = 被要求清单以外的材料？
admin_heading = 服务事项
admin_intro = 在这里公布每项服务的办理时限和全部材料，市民在“办事指南”页面看得到。
item_col = 服务事项
department_col = 部门
days_col = 时限
add_heading = 新增服务事项
add_button = 新增服务事项
# Filled in: { $code }.
change_legend = 修改服务事项 { $code }
change_button = 保存修改
code_hint = 字母、数字和连字号，最多 16 个字符，例如 CIVIL-002。之后不能更改。
days_label = 办理时限（工作日）
days_hint = 0 表示即办（当场办结），最多 365。
materials_labels =
    .item-1 = 材料（繁體中文）
    .item-2 = 材料（简体中文）
    .item-3 = 材料（英文）
materials_hint = 每行一项。
# created, changed.
done =
    .item-1 = 已新增服务事项。
    .item-2 = 已保存服务事项的修改。
# service_item_created, service_item_changed.
action_names =
    .item-1 = 新增服务事项
    .item-2 = 修改服务事项
