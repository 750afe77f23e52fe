nav = 辦事指南
title = 辦事指南
intro = 每項服務要多少個工作日、要帶齊哪些材料，全部寫在這裏：窗口不應要求清單以外的材料或步驟。如果被要求了，可以投訴（類別「亂設門檻」）。
department_label = 部門
all_departments = 全部部門
show_button = 顯示
none = 這個部門還沒有公布服務事項。
# A service's time limit: { $n } working days.
days = { $n } 個工作日
on_the_spot = 即辦（當場辦結）
time_limit = 辦理時限
bring = 要帶的材料
counter_link = 查看這個部門的辦事指南
complain_hint = 被要求清單以外的材料？
admin_heading = 服務事項
admin_intro = 在這裏公布每項服務的辦理時限和全部材料，市民在「辦事指南」頁面看得到。
item_col = 服務事項
department_col = 部門
days_col = 時限
add_heading = 新增服務事項
add_button = 新增服務事項
# Filled in: { $code }.
change_legend = 修改服務事項 { $code }
change_button = 保存修改
code_hint = 字母、數字和連字號，最多 16 個字元，例如 CIVIL-002。之後不能更改。
days_label = 辦理時限（工作日）
days_hint = 0 表示即辦（當場辦結），最多 365。
materials_labels =
    .item-1 = 材料（繁體中文）
    .item-2 = 材料（简体中文）
    .item-3 = 材料（英文）
materials_hint = 每行一項。
# created, changed.
done =
    .item-1 = 已新增服務事項。
    .item-2 = 已保存服務事項的修改。
# service_item_created, service_item_changed.
action_names =
    .item-1 = 新增服務事項
    .item-2 = 修改服務事項
