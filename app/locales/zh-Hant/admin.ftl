nav_admin = 系統管理
title = 系統管理
intro = 新增、改名或停用窗口，列印各大廳的 QR 碼，查看每一次變更的紀錄。
counters_heading = 窗口
code_col = 代碼
name_col = 名稱
place_col = 大廳與部門
status_col = 狀態
open = 使用中
# Filled in: { $code }.
retired_to = 已停用，改到 { $code }
retired_plain = 已停用
add_heading = 新增窗口
code_label = 窗口代碼
code_hint = 英文字母、數字或連字號，最多 16 個字元。代碼印在 QR 碼貼紙上，之後不能更改。
hall_label = 大廳
department_label = 部門
name_labels =
    .item-1 = 名稱（繁體中文）
    .item-2 = 名稱（简体中文）
    .item-3 = 名稱（英文）
add_button = 新增窗口
# Filled in: { $code }.
change_legend = 變更窗口 { $code }
rename_button = 改名
replaced_by_label = 停用後請民眾改到
replaced_by_hint = 掃描舊 QR 碼的民眾會看到這個窗口。
no_replacement = 不指定
retire_button = 停用窗口
qr_heading = QR 碼列印
# Filled in: { $hall }.
qr_link = 列印 { $hall } 的 QR 碼
# Filled in: { $hall }.
qr_title = QR 碼：{ $hall }
qr_intro = 每個使用中的窗口一張卡片，以 A4 紙列印（瀏覽器的列印功能）。
qr_card_hint = 掃描評價本窗口
audit_heading = 變更紀錄
when_col = 時間
who_col = 操作人
what_col = 變更
subject_col = 對象
detail_col = 內容
no_audit = 還沒有任何變更。
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
err_code_format = 代碼只能有英文字母、數字或連字號，最多 16 個字元。
err_code_taken = 這個代碼已經有人使用（包括已停用的），請換一個。
err_days_range = 辦理時限要填 0 到 365 之間的整數（工作日）。
err_url_invalid = 請輸入以 https:// 或 http:// 開頭的網址，不含空格、問號或井號，例如 https://qr.example.gov。
url_heading = 公開網址
url_label = QR 碼和郵件連結使用的網址
url_hint = 印在 QR 碼上、寫在郵件連結裏的網址開頭。改了以後要重新列印 QR 碼；舊貼紙上的網址仍要能打開。
url_button = 保存網址
url_done = 已保存公開網址。
url_action = 變更設定
halls_heading = 大廳
departments_heading = 部門
add_hall = 新增大廳
add_department = 新增部門
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
err_place_in_use = 還有開放中的窗口、在職的帳號或仍在處理的案件屬於這裡：請先停用或移走窗口和帳號，並結案或轉交案件，再停用。
# hall_created, hall_renamed, department_created, department_renamed.
place_actions =
    .item-1 = 新增大廳
    .item-2 = 大廳改名
    .item-3 = 新增部門
    .item-4 = 部門改名
retired_title = 這個窗口已停用
retired_body = 這個窗口已不再提供服務，無法評價。
# Filled in: { $name }, { $code }.
go_instead = 請改到 { $name }（{ $code }）。
rate_instead = 評價這個窗口
