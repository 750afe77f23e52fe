title = 辦理時限
intro = 每個階段要在幾天內完成。改動只影響之後設定的期限；已經告知民眾的期限不變。
complaints_legend = 投訴（所有類別）
follow_ups_legend = 差評回訪
categories_heading = 個別投訴類別
categories_intro = 某一類投訴要更快受理或答覆時填寫；留空就用上面所有類別的時限。
# In `Stage::ALL` order: accept, reply, confirm, follow-up, transfer.
stage_labels =
    .item-1 = 受理（工作日）
    .item-2 = 答覆（工作日）
    .item-3 = 民眾確認（日曆日）
    .item-4 = 回訪（工作日）
    .item-5 = 接收轉辦（工作日）
# Under a category's field: { $days }, the limit for every category.
blank_hint = 留空：{ $days } 天（所有類別）
save_button = 保存辦理時限
saved = 已保存辦理時限，之後設定的期限都按新的時限計算。
unchanged = 時限沒有變更。
err_range = 時限要填 1 到 90 之間的整數天數；只有個別類別可以留空。
err_changed = 你打開這一頁以後，有人改了你要改的時限，所以這次沒有保存。請重新打開這一頁，看過現在的時限再改。
# The audit trail's words for `time_limits_changed` and `calendar_loaded`.
action_name = 變更辦理時限
calendar_action = 載入工作日曆
