# 发给群众（用其语言）和工作人员（用机关的语言）的邮件。
# { $reference } 是案件编号，前面带一个空格（" #42"）；投诉还没有编号时为空。
# { $department } 是部门名称，{ $due } 是日期。

received_subject = 您的投诉已收到
received_lead = 谢谢。我们已收到您的投诉，将在时限内答复。
# 只在已知受理期限时出现。
received_due = 将于 { $due } 前受理。
accepted_subject = 投诉{ $reference }已受理
accepted_lead = 您的投诉{ $reference }已由{ $department }受理。
accepted_due = 将于 { $due } 前答复。
replied_subject = 投诉{ $reference }已有答复
# 后面接着部门的答复原文。
replied_lead = { $department }答复了您的投诉{ $reference }：
replied_ask = 请在跟进页面告诉我们答复是否有帮助。
info_requested_subject = 投诉{ $reference }：需要您补充资料
# Followed by the department's question itself.
info_requested_lead = { $department }需要您补充资料，才能答复您的投诉{ $reference }：
info_requested_answer = 请在跟进页面回复。答复期限会等到您回复后才继续计算。
closed_subject = 投诉{ $reference }已结案
closed_lead = 您的投诉{ $reference }已结案。谢谢您的意见。
assigned_subject = 案件{ $reference }已分派给您
assigned_lead = 案件{ $reference }现由您负责答复。
assigned_due = 期限：{ $due }
transferred_subject = 案件{ $reference }待接收转办
transferred_lead = 案件{ $reference }已转至{ $department }，请接收或退回。
reminder_subject = 案件{ $reference }将于 { $due } 到期
reminder_lead = 案件{ $reference }将于 { $due } 到期。
overdue_subject = 案件{ $reference }已逾期
overdue_lead = 案件{ $reference }的期限 { $due } 已过，已提请部门负责人督办。
escalated_subject = 案件{ $reference }已提交效能督查
escalated_lead = { $department }的案件{ $reference }已提交效能办督办。
escalated_due = 期限：{ $due }
order_subject = 案件{ $reference }：督办通知
order_lead = 效能监督局就{ $department }的案件{ $reference }发出督办。
finding_subject = 案件{ $reference }：已记录调查结论
finding_lead = 效能监督局已就{ $department }的案件{ $reference }记录调查结论。
sign_in_locked_subject = { $account } 的登录因密码错误被锁定
# { $network } 是尝试来自的地址段，{ $until } 是日期和时间。
sign_in_locked_lead = 由于来自 { $network } 的多次密码错误，从该处以 { $account } 登录已被锁定至 { $until }。
sign_in_locked_advice = 如果不是账号本人输错，该账号可能正受到攻击：每次再锁定时长加倍，每次尝试都记入审计记录。一小时内此账号的再次锁定不再发邮件。
# 发给群众的邮件：链接文字和结尾。
citizen_link = 跟进您的投诉
citizen_footer = 此邮件由系统自动发送。如不想再收到有关此投诉的邮件，请打开上面的链接并选择“停止邮件”。
# 发给工作人员的邮件：同上。
staff_link = 打开案件
staff_footer = Counterpoint 系统自动发送。
admin_link = 打开审计记录
ledger_link = 公开记录
ledger_digest_subject = 公开记录：{ $day } 的摘要
ledger_digest_lead = { $day } 的公开记录共有 { $entries } 条。请保存此邮件：日后公布的记录若与下方的链头不符，即表示记录在这一天之后被改动过。
ledger_broken_subject = 公开记录核对不符
ledger_broken_lead = 每日核对发现公开记录与其所记录的数据之间有差异。
ledger_broken_advice = 请在数据库上执行 `server verify` 再次查看；并与备份及见证人保存的摘要比对。核对本身没有改动任何数据。
