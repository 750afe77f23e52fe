# The services' groups: the four "hard to", the three "not", and conduct.
group_names =
    .item-1 = 門難進、臉難看、話難聽、事難辦
    .item-2 = 不在崗、不在狀態、不在行
    .item-3 = 作風與時限
err_unknown_format = 沒有這個地址：請以 .json 或 .xml 結尾
err_unknown_service = 沒有這個服務代碼（service_code）
err_unknown_request = 沒有這個編號（service_request_id）的投訴
err_bad_request_id = service_request_id 須為以逗號分隔的案件編號，最多 1000 個
err_bad_date = 日期須為 W3C 格式，例如 2026-03-02T00:00:00Z 或 2026-03-02
err_bad_status = status 須為 open 或 closed
err_dates_reversed = end_date 須晚於 start_date
err_no_keys = 本服務暫不經 Open311 受理投訴：請使用網頁表格 /complain
err_unavailable = 服務暫時無法使用，請稍後再試
