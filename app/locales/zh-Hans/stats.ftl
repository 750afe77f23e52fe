err_period_unknown = 请选择日、周、月、季、年或自定义期间。
err_range_backwards = 结束日期不能早于开始日期。
err_range_too_long = 自定义期间最长十年。
err_level_unknown = 请选择全中心、大厅、部门或窗口。
err_unit_unknown = 找不到这个大厅、部门或窗口，请从列表中选择。
filters_legend = 选择要看的统计
period_label = 期间
# day, week, month, quarter, year, custom.
period_names =
    .item-1 = 日
    .item-2 = 周
    .item-3 = 月
    .item-4 = 季
    .item-5 = 年
    .item-6 = 自定义期间
at_label = 期间内的任一天
at_hint = 留空表示今天所在的期间。
from_label = 自定义期间：开始日期
to_label = 自定义期间：结束日期
custom_hint = 只在选择“自定义期间”时使用，格式 2026-03-01。
unit_label = 范围
whole_centre = 全中心
# halls, departments, counters (option groups).
unit_groups =
    .item-1 = 大厅
    .item-2 = 部门
    .item-3 = 窗口
show_button = 显示统计
# Filled in: { $first }, { $last }.
period_range = { $first } 至 { $last }
# Filled in: { $day }.
counted_until = 统计到 { $day } 为止；当天的评价不会公开。
not_begun = 这个期间还没有开始，没有可公开的数字。
previous_period = 上一期
next_period = 下一期
ratings_heading = 评价
ratings_label = 评价数
good_rate_label = 好评率
# Filled in: { $low }, { $high }.
interval = 95% 置信区间 { $low }–{ $high }
# Filled in: { $n }.
too_few_for_rate = 评价少于 { $n } 条，不显示好评率。
# Filled in: { $n }.
# { $n } ratings left out after an upheld appeal.
excluded = 另有 { $n } 条评价因申诉成立而不计入。
held = 另有 { $n } 条评价疑似刷评而暂扣待审，效能办放行前不计入。
distribution_heading = 各等级评价
level_col = 等级
count_col = 评价数
share_col = 比例
complaints_heading = 各类投诉
category_col = 类别
complaints_col = 投诉数
no_complaints = 这个期间没有投诉。
handling_heading = 案件办理情况
handling_intro = 已办理或已过期限的案件才计入按时率；仍在期限内的案件暂不计入。
measure_col = 项目
rate_col = 比率
basis_col = 依据
accepted_on_time = 投诉按时受理
replied_on_time = 投诉按时答复
median_close = 结案所需工作日（中位数）
reopened = 答复后被重新开启
substantiated = 调查属实（含部分属实）
followed_up_on_time = 差评按时回访
# Filled in: { $done }, { $of }.
of_cases = { $of } 件中 { $done } 件
# Filled in: { $n }.
closed_cases = 已结案 { $n } 件
# departments, counters.
breakdown_headings =
    .item-1 = 各部门
    .item-2 = 各窗口
unit_col = 单位
on_time_col = 按时率
# Filled in: { $month }.
ranking_heading = { $month } 红黑榜
# Filled in: { $n }.
ranking_intro = 按好评率排名，好评率相同时比较按时率。当月评价满 { $n } 条才排名。
red_heading = 红榜（表现最好）
black_heading = 黑榜（需要改进）
too_few_heading = 评价太少，不排名
rank_col = 名次
# departments, counters.
ranked_groups =
    .item-1 = 部门
    .item-2 = 窗口
nobody_ranked = 没有单位的评价数达到排名门槛。
heatmap_heading = 各星期、各时段的评价数
heatmap_intro = 颜色越深，评价越多。
# Monday first.
weekday_names =
    .item-1 = 星期一
    .item-2 = 星期二
    .item-3 = 星期三
    .item-4 = 星期四
    .item-5 = 星期五
    .item-6 = 星期六
    .item-7 = 星期日
hour_col = 时段
export_heading = 开放数据
export_intro = 同样筛选条件下的每日、每个窗口评价数，不含任何个人信息或文字内容。
export_csv = 下载 CSV
export_json = 下载 JSON
chart_note = 图表下方的表格列出相同数字。
