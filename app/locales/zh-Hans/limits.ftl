title = 办理时限
intro = 每个阶段要在几天内完成。改动只影响之后设定的期限；已经告知群众的期限不变。
complaints_legend = 投诉（所有类别）
follow_ups_legend = 差评回访
categories_heading = 个别投诉类别
categories_intro = 某一类投诉要更快受理或答复时填写；留空就用上面所有类别的时限。
# In `Stage::ALL` order: accept, reply, confirm, follow-up, transfer.
stage_labels =
    .item-1 = 受理（工作日）
    .item-2 = 答复（工作日）
    .item-3 = 群众确认（日历日）
    .item-4 = 回访（工作日）
    .item-5 = 接收转办（工作日）
# Under a category's field: { $days }, the limit for every category.
blank_hint = 留空：{ $days } 天（所有类别）
save_button = 保存办理时限
saved = 已保存办理时限，之后设定的期限都按新的时限计算。
unchanged = 时限没有变更。
err_range = 时限要填 1 到 90 之间的整数天数；只有个别类别可以留空。
err_changed = 你打开这一页以后，有人改了你要改的时限，所以这次没有保存。请重新打开这一页，看过现在的时限再改。
# The audit trail's words for `time_limits_changed` and `calendar_loaded`.
action_name = 变更办理时限
calendar_action = 载入工作日历
