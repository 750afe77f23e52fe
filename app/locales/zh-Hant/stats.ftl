err_period_unknown = 請選擇日、週、月、季、年或自訂期間。
err_range_backwards = 結束日期不能早於開始日期。
err_range_too_long = 自訂期間最長十年。
err_level_unknown = 請選擇全中心、大廳、部門或窗口。
err_unit_unknown = 找不到這個大廳、部門或窗口，請從清單中選擇。
filters_legend = 選擇要看的統計
period_label = 期間
# day, week, month, quarter, year, custom.
period_names =
    .item-1 = 日
    .item-2 = 週
    .item-3 = 月
    .item-4 = 季
    .item-5 = 年
    .item-6 = 自訂期間
at_label = 期間內的任一天
at_hint = 留空表示今天所在的期間。
from_label = 自訂期間：開始日期
to_label = 自訂期間：結束日期
custom_hint = 只在選擇「自訂期間」時使用，格式 2026-03-01。
unit_label = 範圍
whole_centre = 全中心
# halls, departments, counters (option groups).
unit_groups =
    .item-1 = 大廳
    .item-2 = 部門
    .item-3 = 窗口
show_button = 顯示統計
# Filled in: { $first }, { $last }.
period_range = { $first } 至 { $last }
# Filled in: { $day }.
counted_until = 統計到 { $day } 為止；當天的評價不會公開。
not_begun = 這個期間還沒有開始，沒有可公開的數字。
previous_period = 上一期
next_period = 下一期
ratings_heading = 評價
ratings_label = 評價數
good_rate_label = 好評率
# Filled in: { $low }, { $high }.
interval = 95% 信賴區間 { $low }–{ $high }
# Filled in: { $n }.
too_few_for_rate = 評價少於 { $n } 則，不顯示好評率。
# Filled in: { $n }.
# { $n } ratings left out after an upheld appeal.
excluded = 另有 { $n } 則評價因申訴成立而不計入。
held = 另有 { $n } 則評價疑似刷評而暫扣待審，效能辦放行前不計入。
distribution_heading = 各等級評價
level_col = 等級
count_col = 評價數
share_col = 比例
complaints_heading = 各類投訴
category_col = 類別
complaints_col = 投訴數
no_complaints = 這個期間沒有投訴。
handling_heading = 案件辦理情況
handling_intro = 已辦理或已過期限的案件才計入準時率；仍在期限內的案件暫不計入。
measure_col = 項目
rate_col = 比率
basis_col = 依據
accepted_on_time = 投訴按時受理
replied_on_time = 投訴按時答覆
median_close = 結案所需工作日（中位數）
reopened = 答覆後被重新開啟
substantiated = 調查屬實（含部分屬實）
followed_up_on_time = 差評按時回訪
# Filled in: { $done }, { $of }.
of_cases = { $of } 件中 { $done } 件
# Filled in: { $n }.
closed_cases = 已結案 { $n } 件
# departments, counters.
breakdown_headings =
    .item-1 = 各部門
    .item-2 = 各窗口
unit_col = 單位
on_time_col = 按時率
# Filled in: { $month }.
ranking_heading = { $month } 紅黑榜
# Filled in: { $n }.
ranking_intro = 依好評率排名，好評率相同時比較按時率。當月評價滿 { $n } 則才排名。
red_heading = 紅榜（表現最好）
black_heading = 黑榜（需要改進）
too_few_heading = 評價太少，不排名
rank_col = 名次
# departments, counters.
ranked_groups =
    .item-1 = 部門
    .item-2 = 窗口
nobody_ranked = 沒有單位的評價數達到排名門檻。
heatmap_heading = 各星期、各時段的評價數
heatmap_intro = 顏色越深，評價越多。
# Monday first.
weekday_names =
    .item-1 = 星期一
    .item-2 = 星期二
    .item-3 = 星期三
    .item-4 = 星期四
    .item-5 = 星期五
    .item-6 = 星期六
    .item-7 = 星期日
hour_col = 時段
export_heading = 開放資料
export_intro = 同樣篩選條件下的每日、每個窗口評價數，不含任何個人資料或文字內容。
export_csv = 下載 CSV
export_json = 下載 JSON
chart_note = 圖表下方的表格列出相同數字。
