//! The words of the time limits page (`/staff/admin/limits`), in each language.

pub struct LimitsStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub complaints_legend: &'static str,
    pub follow_ups_legend: &'static str,
    pub categories_heading: &'static str,
    pub categories_intro: &'static str,
    /// In `Stage::ALL` order: accept, reply, confirm, follow-up, transfer.
    pub stage_labels: [&'static str; 5],
    /// Under a category's field: `{days}`, the limit for every category.
    pub blank_hint: &'static str,
    pub save_button: &'static str,
    pub saved: &'static str,
    pub unchanged: &'static str,
    pub err_range: &'static str,
    pub err_changed: &'static str,
    /// The audit trail's words for `time_limits_changed` and `calendar_loaded`.
    pub action_name: &'static str,
    pub calendar_action: &'static str,
}

pub static ZH_HANT: LimitsStrings = LimitsStrings {
    title: "辦理時限",
    intro: "每個階段要在幾天內完成。改動只影響之後設定的期限；已經告知民眾的期限不變。",
    complaints_legend: "投訴（所有類別）",
    follow_ups_legend: "差評回訪",
    categories_heading: "個別投訴類別",
    categories_intro: "某一類投訴要更快受理或答覆時填寫；留空就用上面所有類別的時限。",
    stage_labels: [
        "受理（工作日）",
        "答覆（工作日）",
        "民眾確認（日曆日）",
        "回訪（工作日）",
        "接收轉辦（工作日）",
    ],
    blank_hint: "留空：{days} 天（所有類別）",
    save_button: "保存辦理時限",
    saved: "已保存辦理時限，之後設定的期限都按新的時限計算。",
    unchanged: "時限沒有變更。",
    err_range: "時限要填 1 到 90 之間的整數天數；只有個別類別可以留空。",
    err_changed: "你打開這一頁以後，有人改了你要改的時限，所以這次沒有保存。請重新打開這一頁，看過現在的時限再改。",
    action_name: "變更辦理時限",
    calendar_action: "載入工作日曆",
};

pub static ZH_HANS: LimitsStrings = LimitsStrings {
    title: "办理时限",
    intro: "每个阶段要在几天内完成。改动只影响之后设定的期限；已经告知群众的期限不变。",
    complaints_legend: "投诉（所有类别）",
    follow_ups_legend: "差评回访",
    categories_heading: "个别投诉类别",
    categories_intro: "某一类投诉要更快受理或答复时填写；留空就用上面所有类别的时限。",
    stage_labels: [
        "受理（工作日）",
        "答复（工作日）",
        "群众确认（日历日）",
        "回访（工作日）",
        "接收转办（工作日）",
    ],
    blank_hint: "留空：{days} 天（所有类别）",
    save_button: "保存办理时限",
    saved: "已保存办理时限，之后设定的期限都按新的时限计算。",
    unchanged: "时限没有变更。",
    err_range: "时限要填 1 到 90 之间的整数天数；只有个别类别可以留空。",
    err_changed: "你打开这一页以后，有人改了你要改的时限，所以这次没有保存。请重新打开这一页，看过现在的时限再改。",
    action_name: "变更办理时限",
    calendar_action: "载入工作日历",
};

pub static EN: LimitsStrings = LimitsStrings {
    title: "Time limits",
    intro: "How many days each stage may take. A change applies to deadlines set from now on; deadlines people were already given stay as they are.",
    complaints_legend: "Complaints (every category)",
    follow_ups_legend: "Follow-ups of bad ratings",
    categories_heading: "One complaint category",
    categories_intro: "Fill in when one kind of complaint must be accepted or answered sooner; blank uses the limit for every category above.",
    stage_labels: [
        "Accept (working days)",
        "Answer (working days)",
        "Citizen confirms (calendar days)",
        "Follow up (working days)",
        "Take a transfer (working days)",
    ],
    blank_hint: "Blank: {days} days (every category)",
    save_button: "Save time limits",
    saved: "Time limits saved: deadlines set from now on follow them.",
    unchanged: "No time limit changed.",
    err_range: "A time limit is a whole number of days from 1 to 90; only a single category's may be left blank.",
    err_changed: "Someone changed a time limit you changed after you opened this page, so nothing was saved. Open the page again to see the limits as they are now.",
    action_name: "Time limits changed",
    calendar_action: "Calendar loaded",
};
