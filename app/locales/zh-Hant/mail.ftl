# 發給民眾（用其語言）和工作人員（用機關的語言）的郵件。
# { $reference } 是案件編號，前面帶一個空格（" #42"）；投訴還沒有編號時為空。
# { $department } 是部門名稱，{ $due } 是日期。

received_subject = 您的投訴已收到
received_lead = 謝謝。我們已收到您的投訴，將在時限內答覆。
# 只在已知受理期限時出現。
received_due = 將於 { $due } 前受理。
accepted_subject = 投訴{ $reference }已受理
accepted_lead = 您的投訴{ $reference }已由{ $department }受理。
accepted_due = 將於 { $due } 前答覆。
replied_subject = 投訴{ $reference }已有答覆
# 後面接著部門的答覆原文。
replied_lead = { $department }答覆了您的投訴{ $reference }：
replied_ask = 請在跟進頁面告訴我們答覆是否有幫助。
info_requested_subject = 投訴{ $reference }：需要您補充資料
# Followed by the department's question itself.
info_requested_lead = { $department }需要您補充資料，才能答覆您的投訴{ $reference }：
info_requested_answer = 請在跟進頁面回覆。答覆期限會等到您回覆後才繼續計算。
closed_subject = 投訴{ $reference }已結案
closed_lead = 您的投訴{ $reference }已結案。謝謝您的意見。
assigned_subject = 案件{ $reference }已分派給您
assigned_lead = 案件{ $reference }現由您負責答覆。
assigned_due = 期限：{ $due }
transferred_subject = 案件{ $reference }待接收轉辦
transferred_lead = 案件{ $reference }已轉至{ $department }，請接收或退回。
reminder_subject = 案件{ $reference }將於 { $due } 到期
reminder_lead = 案件{ $reference }將於 { $due } 到期。
overdue_subject = 案件{ $reference }已逾期
overdue_lead = 案件{ $reference }的期限 { $due } 已過，已提請部門負責人督辦。
escalated_subject = 案件{ $reference }已提交效能督查
escalated_lead = { $department }的案件{ $reference }已提交效能辦督辦。
escalated_due = 期限：{ $due }
order_subject = 案件{ $reference }：督辦通知
order_lead = 效能監督局就{ $department }的案件{ $reference }發出督辦。
finding_subject = 案件{ $reference }：已記錄調查結論
finding_lead = 效能監督局已就{ $department }的案件{ $reference }記錄調查結論。
sign_in_locked_subject = { $account } 的登入因密碼錯誤被鎖定
# { $network } 是嘗試來自的位址段，{ $until } 是日期和時間。
sign_in_locked_lead = 由於來自 { $network } 的多次密碼錯誤，從該處以 { $account } 登入已被鎖定至 { $until }。
sign_in_locked_advice = 如果不是帳號本人輸錯，該帳號可能正受到攻擊：每次再鎖定時長加倍，每次嘗試都記入稽核紀錄。一小時內此帳號的再次鎖定不再發郵件。
# 發給民眾的郵件：連結文字和結尾。
citizen_link = 跟進您的投訴
citizen_footer = 此郵件由系統自動發送。如不想再收到有關此投訴的郵件，請打開上面的連結並選擇「停止郵件」。
# 發給工作人員的郵件：同上。
staff_link = 打開案件
staff_footer = Counterpoint 系統自動發送。
admin_link = 打開稽核紀錄
ledger_link = 公開紀錄
ledger_digest_subject = 公開紀錄：{ $day } 的摘要
ledger_digest_lead = { $day } 的公開紀錄共有 { $entries } 條。請保存此郵件：日後公布的紀錄若與下方的鏈頭不符，即表示紀錄在這一天之後被改動過。
ledger_broken_subject = 公開紀錄核對不符
ledger_broken_lead = 每日核對發現公開紀錄與其所記錄的資料之間有差異。
ledger_broken_advice = 請在資料庫上執行 `server verify` 再次查看；並與備份及見證人保存的摘要比對。核對本身沒有改動任何資料。
