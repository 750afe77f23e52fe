# The services' groups: the four "hard to", the three "not", and conduct.
group_names =
    .item-1 = 门难进、脸难看、话难听、事难办
    .item-2 = 不在岗、不在状态、不在行
    .item-3 = 作风与时限
err_unknown_format = 没有这个地址：请以 .json 或 .xml 结尾
err_unknown_service = 没有这个服务代码（service_code）
err_unknown_request = 没有这个编号（service_request_id）的投诉
err_bad_request_id = service_request_id 须为以逗号分隔的案件编号，最多 1000 个
err_bad_date = 日期须为 W3C 格式，例如 2026-03-02T00:00:00Z 或 2026-03-02
err_bad_status = status 须为 open 或 closed
err_dates_reversed = end_date 须晚于 start_date
err_no_keys = 本服务暂不经 Open311 受理投诉：请使用网页表格 /complain
err_unavailable = 服务暂时不可用，请稍后再试
