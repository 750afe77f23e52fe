//! Languages and every user-facing string.
//!
//! Each language is one `Strings` value; a string missing from one language is a compile
//! error, not a blank on a citizen's phone. Strings with a number in them are small functions.
//! This module owns wording only: no markup, no routing.

mod cases;
mod accounts;
mod admin;
mod guide;
mod limits;
mod stats;
mod supervision;

pub use cases::CaseStrings;
pub use accounts::AccountStrings;
pub use admin::AdminStrings;
pub use guide::GuideStrings;
pub use limits::LimitsStrings;
pub use stats::StatsStrings;
pub use supervision::SupervisionStrings;
use serde::{Deserialize, Serialize};

/// A language the service speaks. zh-Hant is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhHant,
    ZhHans,
    En,
}

/// Name of the cookie that remembers the chosen language.
pub const LOCALE_COOKIE: &str = "lang";

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::ZhHant, Locale::ZhHans, Locale::En];

    /// The BCP 47 tag, as used in `<html lang>`, the cookie and `/lang/{tag}`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhHant => "zh-Hant",
            Locale::ZhHans => "zh-Hans",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhHant => "繁體中文",
            Locale::ZhHans => "简体中文",
            Locale::En => "English",
        }
    }

    /// Parses a tag we issued ourselves (cookie, URL). Case-insensitive.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        match tag.as_str() {
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" | "zh-hant-hk" => {
                Some(Locale::ZhHant)
            }
            "zh-hans" | "zh-cn" | "zh-sg" | "zh-hans-cn" | "zh-my" => Some(Locale::ZhHans),
            "zh" => Some(Locale::ZhHant),
            t if t == "en" || t.starts_with("en-") => Some(Locale::En),
            t if t.starts_with("zh-hant") => Some(Locale::ZhHant),
            t if t.starts_with("zh-hans") => Some(Locale::ZhHans),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in header.split(',').enumerate().take(16) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::from_tag(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
                };
                if better {
                    best = Some((q, index, locale));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// Chooses the language for a request: the cookie first, then the browser's wish.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        cookie
            .and_then(Locale::from_tag)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }

    /// Reads our language cookie out of a `Cookie` header.
    pub fn cookie_value(cookie_header: &str) -> Option<&str> {
        crate::cookie(cookie_header, LOCALE_COOKIE)
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::ZhHant => &ZH_HANT,
            Locale::ZhHans => &ZH_HANS,
            Locale::En => &EN,
        }
    }
}

/// A text in the three languages, for names that come from data (halls, counters, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub zh_hant: String,
    pub zh_hans: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhHant => &self.zh_hant,
            Locale::ZhHans => &self.zh_hans,
            Locale::En => &self.en,
        }
    }
}

/// Every fixed string of the interface in one language.
pub struct Strings {
    pub locale: Locale,
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub nav_home: &'static str,
    pub nav_complain: &'static str,
    pub nav_stats: &'static str,
    pub footer_hotline: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_find_counter: &'static str,
    pub home_find_counter_hint: &'static str,
    pub home_other_actions: &'static str,
    pub home_complain_link: &'static str,
    pub home_stats_link: &'static str,
    pub home_no_counters: &'static str,
    pub rate_link_prefix: &'static str,

    pub rate_title: &'static str,
    pub rate_where: &'static str,
    pub hall: &'static str,
    pub department: &'static str,
    pub counter: &'static str,
    pub level_legend: &'static str,
    pub level_names: [&'static str; 5],
    pub tags_legend: &'static str,
    pub tag_names: [&'static str; 5],
    pub comment_label: &'static str,
    pub comment_hint: &'static str,
    pub ticket_label: &'static str,
    pub ticket_hint: &'static str,
    pub submit_rating: &'static str,
    pub sending: &'static str,
    pub error_summary_title: &'static str,
    pub error_prefix: &'static str,
    pub no_ratings_yet: &'static str,

    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub thanks_complain: &'static str,
    pub thanks_rate_another: &'static str,

    pub counter_not_found_title: &'static str,
    pub counter_not_found_body: &'static str,
    pub page_not_found_title: &'static str,
    pub page_not_found_body: &'static str,
    pub back_home: &'static str,

    pub too_many_title: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_body: &'static str,
    pub too_large_title: &'static str,
    pub too_large_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_body: &'static str,
    pub network_error: &'static str,

    pub err_level_required: &'static str,
    pub err_tag_unknown: &'static str,
    pub err_comment_too_long: &'static str,
    pub err_text_control_chars: &'static str,
    pub err_ticket_format: &'static str,
    pub err_ticket_used: &'static str,

    pub stats_title: &'static str,
    pub stats_intro: &'static str,
    pub stats_ratings: &'static str,
    pub stats_good_rate: &'static str,
    pub stats_good_rate_note: &'static str,
    pub not_applicable: &'static str,

    pub complain_title: &'static str,

    pub staff_login_title: &'static str,
    pub staff_login_intro: &'static str,
    /// Too many sign-ins at this moment.
    pub sign_in_busy: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub err_wrong_credentials: &'static str,
    pub staff_home_title: &'static str,
    pub signed_in_as: &'static str,
    pub sign_in_needed: &'static str,
    pub role_names: [&'static str; 4],

    pub err_category_required: &'static str,
    pub err_place_required: &'static str,
    pub err_date_invalid: &'static str,
    pub err_date_in_future: &'static str,
    pub err_time_invalid: &'static str,
    pub err_what_happened_required: &'static str,
    pub err_what_happened_too_long: &'static str,
    pub err_staff_named_too_long: &'static str,
    pub err_identity_required: &'static str,
    pub err_name_required: &'static str,
    pub err_name_too_long: &'static str,
    pub err_contact_required: &'static str,
    pub err_email_invalid: &'static str,
    pub err_phone_invalid: &'static str,
    /// Complaint categories, in `Category::ALL` order.
    pub category_names: [&'static str; 12],
    /// Complaints, tracking and the staff case pages.
    pub cases: &'static CaseStrings,
    pub supervision: &'static SupervisionStrings,
    pub stats: &'static StatsStrings,
    pub admin: &'static AdminStrings,
    pub guide: &'static GuideStrings,
    pub limits: &'static LimitsStrings,
    pub accounts: &'static AccountStrings,
}

impl Strings {
    /// "12 ratings so far, 83% good" under a counter's name.
    pub fn rating_summary(&self, ratings: u64, good_percent: Option<u32>) -> String {
        match (ratings, good_percent, self.locale) {
            (0, _, _) => self.no_ratings_yet.to_string(),
            (1, None, Locale::En) => "1 rating before today".to_string(),
            (n, None, Locale::En) => format!("{n} ratings before today"),
            (n, Some(p), Locale::En) => format!("{n} ratings before today, {p}% good"),
            (n, None, Locale::ZhHans) => format!("今天以前已有 {n} 条评价"),
            (n, Some(p), Locale::ZhHans) => format!("今天以前已有 {n} 条评价，好评率 {p}%"),
            (n, None, Locale::ZhHant) => format!("今天以前已有 {n} 則評價"),
            (n, Some(p), Locale::ZhHant) => format!("今天以前已有 {n} 則評價，好評率 {p}%"),
        }
    }

    /// The message of the rate-limit page.
    pub fn too_many_body(&self, retry_after_secs: u64) -> String {
        match self.locale {
            Locale::En => format!(
                "You have sent a lot in a short time. Please wait {retry_after_secs} seconds, then try again."
            ),
            Locale::ZhHans => {
                format!("您在短时间内提交次数过多。请等待 {retry_after_secs} 秒后再试。")
            }
            Locale::ZhHant => {
                format!("您在短時間內提交次數過多。請等待 {retry_after_secs} 秒後再試。")
            }
        }
    }

    /// Why sign-in is refused for now.
    pub fn locked_out(&self, retry_after_secs: u64) -> String {
        let minutes = retry_after_secs.div_ceil(60).max(1);
        match self.locale {
            Locale::En => format!("Too many failed sign-ins. Try again in {minutes} minutes."),
            Locale::ZhHans => format!("登录失败次数过多。请在 {minutes} 分钟后再试。"),
            Locale::ZhHant => format!("登入失敗次數過多。請在 {minutes} 分鐘後再試。"),
        }
    }

    /// The "n of 500 characters" counter under a text box.
    pub fn chars_left(&self, used: usize, max: usize) -> String {
        match self.locale {
            Locale::En => format!("{used} of {max} characters"),
            Locale::ZhHans => format!("已输入 {used} / {max} 字"),
            Locale::ZhHant => format!("已輸入 {used} / {max} 字"),
        }
    }
}

pub static ZH_HANT: Strings = Strings {
    locale: Locale::ZhHant,
    site_name: "政務服務評價",
    site_tagline: "為窗口服務評分、投訴與追蹤",
    skip_to_content: "跳到主要內容",
    language: "語言",
    nav_home: "首頁",
    nav_complain: "投訴",
    nav_stats: "統計",
    footer_hotline: "政務服務便民熱線：12345",

    home_title: "為政務服務窗口評價",
    home_intro: "掃描窗口上的二維碼即可評價。沒有二維碼？請在下方找到為您服務的窗口。",
    home_find_counter: "找到為您服務的窗口",
    home_find_counter_hint: "按大廳和部門列出。選擇窗口即可評價。",
    home_other_actions: "其他服務",
    home_complain_link: "投訴服務問題",
    home_stats_link: "查看滿意度統計",
    home_no_counters: "目前沒有開放的窗口。",
    rate_link_prefix: "評價",

    rate_title: "評價本窗口的服務",
    rate_where: "您評價的窗口",
    hall: "大廳",
    department: "部門",
    counter: "窗口",
    level_legend: "您對本次服務滿意嗎？",
    level_names: ["非常不滿意", "不滿意", "基本滿意", "滿意", "非常滿意"],
    tags_legend: "哪些方面值得一提？（選填）",
    tag_names: ["服務態度", "辦理速度", "指引清楚", "等候時間", "環境設施"],
    comment_label: "意見（選填）",
    comment_hint: "最多 500 字。請勿填寫身份證號、電話等個人資料。",
    ticket_label: "排隊票號或收據編號（選填）",
    ticket_hint: "印在排隊票或收據上。每張票只能評價一次。",
    submit_rating: "提交評價",
    sending: "正在提交…",
    error_summary_title: "有問題需要處理",
    error_prefix: "錯誤：",
    no_ratings_yet: "今天以前尚無評價",

    thanks_title: "感謝您的評價",
    thanks_body: "您的評價已記錄，並計入公開的滿意度統計。",
    thanks_complain: "遇到問題？投訴這個窗口",
    thanks_rate_another: "返回首頁",

    counter_not_found_title: "找不到這個窗口",
    counter_not_found_body: "這個窗口編號不存在或已停用。請在首頁找到為您服務的窗口。",
    page_not_found_title: "找不到頁面",
    page_not_found_body: "您要找的頁面不存在。請檢查網址，或從首頁開始。",
    back_home: "返回首頁",

    too_many_title: "提交次數過多",
    bad_request_title: "無法讀取表單",
    bad_request_body: "提交的內容無法讀取。請返回上一頁重試。",
    too_large_title: "提交的內容太大",
    too_large_body: "提交的內容超過允許的大小。請縮短內容後重試。",
    forbidden_title: "無法處理這個請求",
    forbidden_body: "這個請求不是從本網站的頁面提交的。請重新打開頁面後再提交。",
    unavailable_title: "服務暫時繁忙",
    unavailable_body: "您的評價尚未保存。請稍後再試。",
    network_error: "無法連接伺服器，您的評價尚未保存。請檢查網絡後重試。",

    err_level_required: "請選擇您對本次服務的滿意程度",
    err_tag_unknown: "請從列表中選擇標籤",
    err_comment_too_long: "意見不能超過 500 字",
    err_text_control_chars: "內容包含無法處理的字元",
    err_ticket_format: "票號只能包含字母、數字和連字號，最多 32 個字元",
    err_ticket_used: "這個票號今天已在本大廳評價過。每張票只能評價一次。",

    stats_title: "滿意度統計",
    stats_intro: "所有評價都會計入，工作人員無法修改或刪除。基本滿意、滿意和非常滿意算作好評。數字統計到昨天為止，評價滿 10 則才顯示好評率，以免推斷出個別民眾的評價。",
    stats_ratings: "評價數",
    stats_good_rate: "好評率",
    stats_good_rate_note: "好評率：評價為 3 至 5 級的比例。",
    not_applicable: "暫無",

    complain_title: "投訴服務問題",

    staff_login_title: "工作人員登入",
    staff_login_intro: "供窗口工作人員、部門負責人、效能辦和系統管理員使用。",
    sign_in_busy: "此刻登入的人很多，請過幾秒鐘再試。",
    username: "用戶名",
    password: "密碼",
    sign_in: "登入",
    sign_out: "登出",
    err_wrong_credentials: "用戶名或密碼不正確",
    staff_home_title: "工作台",
    signed_in_as: "目前登入：",
    sign_in_needed: "請先登入。",
    role_names: ["窗口工作人員", "部門負責人", "效能督查", "系統管理員"],
    err_category_required: "請選擇投訴類別",
    err_place_required: "請至少選擇大廳、部門或窗口之一",
    err_date_invalid: "請輸入真實的日期，例如 2026-11-24",
    err_date_in_future: "日期不能是將來的日子",
    err_time_invalid: "請輸入時間，例如 09:30",
    err_what_happened_required: "請描述發生了甚麼",
    err_what_happened_too_long: "描述不能超過 4000 字",
    err_staff_named_too_long: "工作人員姓名或工號不能超過 64 字",
    err_identity_required: "請選擇匿名投訴或留下姓名",
    err_name_required: "請輸入您的姓名",
    err_name_too_long: "姓名不能超過 64 字",
    err_contact_required: "請留下電子郵件地址或電話號碼，以便答覆您",
    err_email_invalid: "請輸入正確的電子郵件地址，例如 name@example.com",
    err_phone_invalid: "請輸入正確的電話號碼，例如 138 0000 0000",
    category_names: [
        "門難進",
        "臉難看",
        "話難聽",
        "事難辦",
        "不在崗",
        "不在狀態",
        "不在行",
        "亂設門檻",
        "不講原則講關係",
        "吃拿卡要",
        "辦事拖拉",
        "其他",
    ],
    cases: &cases::ZH_HANT,
    supervision: &supervision::ZH_HANT,
    stats: &stats::ZH_HANT,
    admin: &admin::ZH_HANT,
    guide: &guide::ZH_HANT,
    limits: &limits::ZH_HANT,
    accounts: &accounts::ZH_HANT,
};

pub static ZH_HANS: Strings = Strings {
    locale: Locale::ZhHans,
    site_name: "政务服务评价",
    site_tagline: "为窗口服务评分、投诉与追踪",
    skip_to_content: "跳到主要内容",
    language: "语言",
    nav_home: "首页",
    nav_complain: "投诉",
    nav_stats: "统计",
    footer_hotline: "政务服务便民热线：12345",

    home_title: "为政务服务窗口评价",
    home_intro: "扫描窗口上的二维码即可评价。没有二维码？请在下方找到为您服务的窗口。",
    home_find_counter: "找到为您服务的窗口",
    home_find_counter_hint: "按大厅和部门列出。选择窗口即可评价。",
    home_other_actions: "其他服务",
    home_complain_link: "投诉服务问题",
    home_stats_link: "查看满意度统计",
    home_no_counters: "目前没有开放的窗口。",
    rate_link_prefix: "评价",

    rate_title: "评价本窗口的服务",
    rate_where: "您评价的窗口",
    hall: "大厅",
    department: "部门",
    counter: "窗口",
    level_legend: "您对本次服务满意吗？",
    level_names: ["非常不满意", "不满意", "基本满意", "满意", "非常满意"],
    tags_legend: "哪些方面值得一提？（选填）",
    tag_names: ["服务态度", "办理速度", "指引清楚", "等候时间", "环境设施"],
    comment_label: "意见（选填）",
    comment_hint: "最多 500 字。请勿填写身份证号、电话等个人信息。",
    ticket_label: "排队票号或收据编号（选填）",
    ticket_hint: "印在排队票或收据上。每张票只能评价一次。",
    submit_rating: "提交评价",
    sending: "正在提交…",
    error_summary_title: "有问题需要处理",
    error_prefix: "错误：",
    no_ratings_yet: "今天以前尚无评价",

    thanks_title: "感谢您的评价",
    thanks_body: "您的评价已记录，并计入公开的满意度统计。",
    thanks_complain: "遇到问题？投诉这个窗口",
    thanks_rate_another: "返回首页",

    counter_not_found_title: "找不到这个窗口",
    counter_not_found_body: "这个窗口编号不存在或已停用。请在首页找到为您服务的窗口。",
    page_not_found_title: "找不到页面",
    page_not_found_body: "您要找的页面不存在。请检查网址，或从首页开始。",
    back_home: "返回首页",

    too_many_title: "提交次数过多",
    bad_request_title: "无法读取表单",
    bad_request_body: "提交的内容无法读取。请返回上一页重试。",
    too_large_title: "提交的内容太大",
    too_large_body: "提交的内容超过允许的大小。请缩短内容后重试。",
    forbidden_title: "无法处理这个请求",
    forbidden_body: "这个请求不是从本网站的页面提交的。请重新打开页面后再提交。",
    unavailable_title: "服务暂时繁忙",
    unavailable_body: "您的评价尚未保存。请稍后再试。",
    network_error: "无法连接服务器，您的评价尚未保存。请检查网络后重试。",

    err_level_required: "请选择您对本次服务的满意程度",
    err_tag_unknown: "请从列表中选择标签",
    err_comment_too_long: "意见不能超过 500 字",
    err_text_control_chars: "内容包含无法处理的字符",
    err_ticket_format: "票号只能包含字母、数字和连字号，最多 32 个字符",
    err_ticket_used: "这个票号今天已在本大厅评价过。每张票只能评价一次。",

    stats_title: "满意度统计",
    stats_intro: "所有评价都会计入，工作人员无法修改或删除。基本满意、满意和非常满意算作好评。数字统计到昨天为止，评价满 10 条才显示好评率，以免推断出个别群众的评价。",
    stats_ratings: "评价数",
    stats_good_rate: "好评率",
    stats_good_rate_note: "好评率：评价为 3 至 5 级的比例。",
    not_applicable: "暂无",

    complain_title: "投诉服务问题",

    staff_login_title: "工作人员登录",
    staff_login_intro: "供窗口工作人员、部门负责人、效能办和系统管理员使用。",
    sign_in_busy: "此刻登录的人很多，请过几秒钟再试。",
    username: "用户名",
    password: "密码",
    sign_in: "登录",
    sign_out: "退出登录",
    err_wrong_credentials: "用户名或密码不正确",
    staff_home_title: "工作台",
    signed_in_as: "当前登录：",
    sign_in_needed: "请先登录。",
    role_names: ["窗口工作人员", "部门负责人", "效能督查", "系统管理员"],
    err_category_required: "请选择投诉类别",
    err_place_required: "请至少选择大厅、部门或窗口之一",
    err_date_invalid: "请输入真实的日期，例如 2026-11-24",
    err_date_in_future: "日期不能是将来的日子",
    err_time_invalid: "请输入时间，例如 09:30",
    err_what_happened_required: "请描述发生了什么",
    err_what_happened_too_long: "描述不能超过 4000 字",
    err_staff_named_too_long: "工作人员姓名或工号不能超过 64 字",
    err_identity_required: "请选择匿名投诉或留下姓名",
    err_name_required: "请输入您的姓名",
    err_name_too_long: "姓名不能超过 64 字",
    err_contact_required: "请留下电子邮件地址或电话号码，以便答复您",
    err_email_invalid: "请输入正确的电子邮件地址，例如 name@example.com",
    err_phone_invalid: "请输入正确的电话号码，例如 138 0000 0000",
    category_names: [
        "门难进",
        "脸难看",
        "话难听",
        "事难办",
        "不在岗",
        "不在状态",
        "不在行",
        "乱设门槛",
        "不讲原则讲关系",
        "吃拿卡要",
        "办事拖拉",
        "其他",
    ],
    cases: &cases::ZH_HANS,
    supervision: &supervision::ZH_HANS,
    stats: &stats::ZH_HANS,
    admin: &admin::ZH_HANS,
    guide: &guide::ZH_HANS,
    limits: &limits::ZH_HANS,
    accounts: &accounts::ZH_HANS,
};

pub static EN: Strings = Strings {
    locale: Locale::En,
    site_name: "Counterpoint",
    site_tagline: "Rate, complain about and follow public services",
    skip_to_content: "Skip to main content",
    language: "Language",
    nav_home: "Home",
    nav_complain: "Complain",
    nav_stats: "Statistics",
    footer_hotline: "Government service hotline: 12345",

    home_title: "Rate a government service counter",
    home_intro: "Scan the QR code on the counter to rate it. No QR code? Find the counter that served you below.",
    home_find_counter: "Find the counter that served you",
    home_find_counter_hint: "Listed by hall and department. Choose a counter to rate it.",
    home_other_actions: "Other things you can do",
    home_complain_link: "Complain about a service",
    home_stats_link: "See satisfaction statistics",
    home_no_counters: "No counters are open at the moment.",
    rate_link_prefix: "Rate",

    rate_title: "Rate this counter's service",
    rate_where: "The counter you are rating",
    hall: "Hall",
    department: "Department",
    counter: "Counter",
    level_legend: "How satisfied are you with the service?",
    level_names: [
        "Very dissatisfied",
        "Dissatisfied",
        "Basically satisfied",
        "Satisfied",
        "Very satisfied",
    ],
    tags_legend: "What stood out? (optional)",
    tag_names: [
        "Attitude",
        "Speed",
        "Clear guidance",
        "Waiting time",
        "Environment",
    ],
    comment_label: "Comment (optional)",
    comment_hint: "Up to 500 characters. Please do not include ID numbers, phone numbers or other personal details.",
    ticket_label: "Queue ticket or receipt number (optional)",
    ticket_hint: "Printed on your queue ticket or receipt. One rating per ticket.",
    submit_rating: "Send rating",
    sending: "Sending…",
    error_summary_title: "There is a problem",
    error_prefix: "Error: ",
    no_ratings_yet: "No ratings before today",

    thanks_title: "Thank you for your rating",
    thanks_body: "Your rating has been recorded and counts in the public satisfaction statistics.",
    thanks_complain: "Something went wrong? Complain about this counter",
    thanks_rate_another: "Back to the home page",

    counter_not_found_title: "Counter not found",
    counter_not_found_body: "This counter code does not exist or is no longer in use. Find the counter that served you on the home page.",
    page_not_found_title: "Page not found",
    page_not_found_body: "The page you are looking for does not exist. Check the address, or start from the home page.",
    back_home: "Go to the home page",

    too_many_title: "Too many attempts",
    bad_request_title: "The form could not be read",
    bad_request_body: "What was sent could not be read. Go back and try again.",
    too_large_title: "What you sent is too large",
    too_large_body: "What you sent is larger than allowed. Shorten it and try again.",
    forbidden_title: "This request cannot be accepted",
    forbidden_body: "This request did not come from one of this site's pages. Open the page again and send it from there.",
    unavailable_title: "The service is busy",
    unavailable_body: "Your rating has not been saved. Please try again in a moment.",
    network_error: "Could not reach the server, so your rating has not been saved. Check your connection and try again.",

    err_level_required: "Choose how satisfied you are with the service",
    err_tag_unknown: "Choose tags from the list",
    err_comment_too_long: "Comment must be 500 characters or fewer",
    err_text_control_chars: "The text contains characters that cannot be accepted",
    err_ticket_format: "Ticket number can only contain letters, digits and hyphens, up to 32 characters",
    err_ticket_used: "This ticket number has already been used to rate at this hall today. Each ticket can be rated once.",

    stats_title: "Satisfaction statistics",
    stats_intro: "Every rating counts; staff cannot change or delete them. Basically satisfied, satisfied and very satisfied count as good. Numbers run to the end of yesterday, and a good rate is shown from 10 ratings, so that no one person's rating can be worked out.",
    stats_ratings: "Ratings",
    stats_good_rate: "Good rate",
    stats_good_rate_note: "Good rate: the share of ratings at levels 3 to 5.",
    not_applicable: "n/a",

    complain_title: "Complain about a service",

    staff_login_title: "Staff sign-in",
    staff_login_intro: "For counter staff, department heads, the efficiency supervision bureau and administrators.",
    sign_in_busy: "Many people are signing in at this moment. Please try again in a few seconds.",
    username: "User name",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    err_wrong_credentials: "The user name or password is not right",
    staff_home_title: "Staff area",
    signed_in_as: "Signed in as ",
    sign_in_needed: "Please sign in first.",
    role_names: [
        "Counter staff",
        "Department head",
        "Supervisor",
        "Administrator",
    ],
    err_category_required: "Choose what the complaint is about",
    err_place_required: "Choose at least the hall, the department or the counter",
    err_date_invalid: "Enter a real date, for example 2026-11-24",
    err_date_in_future: "The date cannot be in the future",
    err_time_invalid: "Enter a time, for example 09:30",
    err_what_happened_required: "Describe what happened",
    err_what_happened_too_long: "The description must be 4,000 characters or fewer",
    err_staff_named_too_long: "The staff member's name or badge must be 64 characters or fewer",
    err_identity_required: "Choose whether to stay anonymous or give your name",
    err_name_required: "Enter your name",
    err_name_too_long: "Your name must be 64 characters or fewer",
    err_contact_required: "Give an email address or a phone number so that we can answer you",
    err_email_invalid: "Enter an email address in the right format, like name@example.com",
    err_phone_invalid: "Enter a phone number, like 138 0000 0000",
    category_names: [
        "Hard to get in or be seen",
        "Impatient or hostile manner",
        "Rude or demeaning words",
        "Obstructed or passed around",
        "Nobody at the counter",
        "Not attending to the work",
        "Wrong or unclear guidance",
        "Asked for things not on the list",
        "Favouritism",
        "Asked for meals, gifts or money",
        "The promised time passed",
        "Something else",
    ],
    cases: &cases::EN,
    supervision: &supervision::EN,
    stats: &stats::EN,
    admin: &admin::EN,
    guide: &guide::EN,
    limits: &limits::EN,
    accounts: &accounts::EN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality() {
        assert_eq!(
            Locale::from_accept_language("en;q=0.5, zh-CN;q=0.9, fr"),
            Some(Locale::ZhHans)
        );
        assert_eq!(
            Locale::from_accept_language("zh-TW,zh;q=0.9,en;q=0.8"),
            Some(Locale::ZhHant)
        );
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("fr-FR, de"), None);
        assert_eq!(
            Locale::from_accept_language("en;q=0, zh-Hans"),
            Some(Locale::ZhHans)
        );
    }

    #[test]
    fn cookie_beats_accept_language_and_default_is_traditional_chinese() {
        assert_eq!(Locale::negotiate(Some("en"), Some("zh-CN")), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("garbage"), Some("zh-CN")),
            Locale::ZhHans
        );
        assert_eq!(Locale::negotiate(None, None), Locale::ZhHant);
        assert_eq!(
            Locale::cookie_value("a=b; lang=zh-Hans; c=d"),
            Some("zh-Hans")
        );
    }

    #[test]
    fn summaries_are_in_each_language() {
        assert_eq!(EN.rating_summary(1, None), "1 rating before today");
        assert_eq!(
            EN.rating_summary(12, Some(83)),
            "12 ratings before today, 83% good"
        );
        assert_eq!(
            ZH_HANS.rating_summary(12, Some(83)),
            "今天以前已有 12 条评价，好评率 83%"
        );
        assert_eq!(ZH_HANT.rating_summary(0, None), "今天以前尚無評價");
    }
}
