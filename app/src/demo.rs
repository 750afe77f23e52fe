//! The demo: a county government service centre, loaded into an empty database on first
//! start so the product can be tried at once. Never loaded in production mode.
//!
//! The accounts below are documented in the README; their password is public, which is
//! exactly why production refuses the demo.

use crate::calendar::{CN_MAINLAND_2025_2026, parse_calendar_csv};
use crate::store::{
    Seed, SeedCounter, SeedDay, SeedDepartment, SeedHall, SeedServiceItem, SeedStaff, Store,
    StoreError,
};
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "counterpoint-demo";

/// What starting up did about the demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded,
    /// The database already had data; nothing was touched.
    AlreadyHasData,
    /// Demo loading is switched off.
    Disabled,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo data cannot be loaded in production mode")]
    RefusedInProduction,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not hash a demo password")]
    Hash,
}

/// Whether to load the demo into an empty database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoMode {
    /// Load it when the database is empty, unless in production.
    Auto,
    /// Load it when empty; refuse to start in production.
    On,
    Off,
}

/// Loads the demo when the database is empty and the mode allows it.
pub async fn load_demo_if_empty(
    store: &Store,
    mode: DemoMode,
    production: bool,
    now_ms: i64,
) -> Result<DemoOutcome, DemoError> {
    match (mode, production) {
        (DemoMode::On, true) => return Err(DemoError::RefusedInProduction),
        (DemoMode::Off, _) | (DemoMode::Auto, true) => return Ok(DemoOutcome::Disabled),
        _ => {}
    }
    if !store.is_empty().await? {
        return Ok(DemoOutcome::AlreadyHasData);
    }
    store.load_seed(&demo_seed(now_ms)?).await?;
    Ok(DemoOutcome::Loaded)
}

fn hash(password: &str) -> Result<String, DemoError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| DemoError::Hash)
}

/// The demo's reference data: 8 departments, 2 halls, 15 counters (one retired).
pub fn demo_seed(now_ms: i64) -> Result<Seed, DemoError> {
    let dept = |code, zh_hant, zh_hans, en| SeedDepartment {
        code,
        name: [zh_hant, zh_hans, en],
    };
    let departments = vec![
        dept(
            "HRSS",
            "人力資源和社會保障局",
            "人力资源和社会保障局",
            "Human Resources and Social Security Bureau",
        ),
        dept("CIVIL", "民政局", "民政局", "Civil Affairs Bureau"),
        dept(
            "AMR",
            "市場監督管理局",
            "市场监督管理局",
            "Market Regulation Administration",
        ),
        dept("FIN", "財政局", "财政局", "Finance Bureau"),
        dept("TAX", "稅務局", "税务局", "Taxation Bureau"),
        dept(
            "NRES",
            "自然資源局",
            "自然资源局",
            "Natural Resources Bureau",
        ),
        dept(
            "HOUSING",
            "住房和城鄉建設局",
            "住房和城乡建设局",
            "Housing and Urban-Rural Development Bureau",
        ),
        dept(
            "MEDINS",
            "醫療保障局",
            "医疗保障局",
            "Healthcare Security Bureau",
        ),
    ];
    let halls = vec![
        SeedHall {
            code: "H1",
            name: [
                "清河縣政務服務中心 一樓綜合大廳",
                "清河县政务服务中心 一楼综合大厅",
                "Qinghe County Government Service Centre, Ground Floor Hall",
            ],
        },
        SeedHall {
            code: "H2",
            name: [
                "清河縣不動產登記大廳",
                "清河县不动产登记大厅",
                "Qinghe County Real Estate Registration Hall",
            ],
        },
    ];
    let counter = |code, hall, department, zh_hant, zh_hans, en| SeedCounter {
        code,
        hall,
        department,
        name: [zh_hant, zh_hans, en],
        retired: false,
    };
    let mut counters = vec![
        counter(
            "A01",
            "H1",
            "HRSS",
            "1號窗口 社保參保登記",
            "1号窗口 社保参保登记",
            "Counter 1: Social insurance registration",
        ),
        counter(
            "A02",
            "H1",
            "HRSS",
            "2號窗口 就業與失業登記",
            "2号窗口 就业与失业登记",
            "Counter 2: Employment and unemployment registration",
        ),
        counter(
            "A03",
            "H1",
            "MEDINS",
            "3號窗口 醫保報銷",
            "3号窗口 医保报销",
            "Counter 3: Medical insurance reimbursement",
        ),
        counter(
            "A04",
            "H1",
            "CIVIL",
            "4號窗口 婚姻登記",
            "4号窗口 婚姻登记",
            "Counter 4: Marriage registration",
        ),
        counter(
            "A05",
            "H1",
            "CIVIL",
            "5號窗口 社會救助",
            "5号窗口 社会救助",
            "Counter 5: Social assistance",
        ),
        counter(
            "A06",
            "H1",
            "AMR",
            "6號窗口 企業開辦",
            "6号窗口 企业开办",
            "Counter 6: Starting a business",
        ),
        counter(
            "A07",
            "H1",
            "AMR",
            "7號窗口 食品經營許可",
            "7号窗口 食品经营许可",
            "Counter 7: Food business licences",
        ),
        counter(
            "A08",
            "H1",
            "TAX",
            "8號窗口 稅務登記與發票",
            "8号窗口 税务登记与发票",
            "Counter 8: Tax registration and invoices",
        ),
        counter(
            "A09",
            "H1",
            "FIN",
            "9號窗口 非稅收入繳款",
            "9号窗口 非税收入缴款",
            "Counter 9: Non-tax payments",
        ),
        counter(
            "B01",
            "H2",
            "NRES",
            "1號窗口 不動產首次登記",
            "1号窗口 不动产首次登记",
            "Counter 1: First registration of real estate",
        ),
        counter(
            "B02",
            "H2",
            "NRES",
            "2號窗口 不動產轉移登記",
            "2号窗口 不动产转移登记",
            "Counter 2: Real estate transfer",
        ),
        counter(
            "B03",
            "H2",
            "NRES",
            "3號窗口 抵押登記",
            "3号窗口 抵押登记",
            "Counter 3: Mortgage registration",
        ),
        counter(
            "B04",
            "H2",
            "TAX",
            "4號窗口 房產交易稅費",
            "4号窗口 房产交易税费",
            "Counter 4: Property transaction taxes",
        ),
        counter(
            "B05",
            "H2",
            "HOUSING",
            "5號窗口 商品房合同備案",
            "5号窗口 商品房合同备案",
            "Counter 5: Housing contract filing",
        ),
    ];
    counters.push(SeedCounter {
        retired: true,
        ..counter(
            "B06",
            "H2",
            "HOUSING",
            "6號窗口（已停用）",
            "6号窗口（已停用）",
            "Counter 6 (retired)",
        )
    });

    let item = |code,
                department,
                name: [&'static str; 3],
                time_limit_days,
                materials: [&'static str; 3]| SeedServiceItem {
        code,
        department,
        name,
        time_limit_days,
        materials,
    };
    let service_items = vec![
        item(
            "HRSS-001",
            "HRSS",
            [
                "城鄉居民養老保險參保登記",
                "城乡居民养老保险参保登记",
                "Enrolment in residents' pension insurance",
            ],
            0,
            [
                "居民身份證\n戶口簿",
                "居民身份证\n户口簿",
                "Resident identity card\nHousehold register",
            ],
        ),
        item(
            "CIVIL-001",
            "CIVIL",
            ["結婚登記", "结婚登记", "Marriage registration"],
            0,
            [
                "雙方居民身份證\n雙方戶口簿\n近期二寸合影照片三張",
                "双方居民身份证\n双方户口簿\n近期二寸合影照片三张",
                "Both partners' identity cards\nBoth household registers\nThree recent joint photos (2-inch)",
            ],
        ),
        item(
            "AMR-001",
            "AMR",
            [
                "有限責任公司設立登記",
                "有限责任公司设立登记",
                "Registering a limited liability company",
            ],
            1,
            [
                "公司登記申請書\n公司章程\n股東身份證明\n住所使用證明",
                "公司登记申请书\n公司章程\n股东身份证明\n住所使用证明",
                "Company registration application\nArticles of association\nShareholders' identity documents\nProof of the right to use the premises",
            ],
        ),
        item(
            "NRES-001",
            "NRES",
            [
                "國有建設用地使用權及房屋所有權轉移登記",
                "国有建设用地使用权及房屋所有权转移登记",
                "Transfer of land use right and house ownership",
            ],
            5,
            [
                "不動產登記申請書\n申請人身份證明\n不動產權屬證書\n買賣合同\n完稅憑證",
                "不动产登记申请书\n申请人身份证明\n不动产权属证书\n买卖合同\n完税凭证",
                "Real estate registration application\nApplicants' identity documents\nCertificate of title\nSale contract\nTax payment certificate",
            ],
        ),
    ];

    // One hash for every demo account: they share the public demo password, and hashing
    // each with argon2id would only slow every test that loads the demo.
    let password_hash = hash(DEMO_PASSWORD)?;
    // Demo addresses on a reserved domain (.invalid): mail to them can never reach anyone.
    let account = |username: &'static str, display_name, role, department, badge| SeedStaff {
        username,
        display_name,
        role,
        department,
        badge,
        email: Some(format!("{username}@staff.counterpoint.invalid")),
        password_hash: password_hash.clone(),
    };
    let staff = vec![
        account(
            "staff.a01",
            "王小明",
            "counter_staff",
            Some("HRSS"),
            Some("A01-07"),
        ),
        account(
            "staff.a02",
            "陳美玲",
            "counter_staff",
            Some("HRSS"),
            Some("A02-18"),
        ),
        account("head.hrss", "李主任", "department_head", Some("HRSS"), None),
        account(
            "staff.b01",
            "周建國",
            "counter_staff",
            Some("CIVIL"),
            Some("B01-03"),
        ),
        account(
            "head.civil",
            "趙主任",
            "department_head",
            Some("CIVIL"),
            None,
        ),
        account("supervisor", "效能辦 張督查", "supervisor", None, None),
        account("admin", "系統管理員", "administrator", None, None),
    ];

    // The shipped file is checked by a unit test; a failure here would be a build defect.
    let calendar = parse_calendar_csv(CN_MAINLAND_2025_2026)
        .unwrap_or_default()
        .into_iter()
        .map(|e| SeedDay {
            day: e.day.format("%Y-%m-%d").to_string(),
            kind: e.kind.code().to_string(),
            name: e.name,
        })
        .collect();

    Ok(Seed {
        departments,
        halls,
        counters,
        service_items,
        staff,
        calendar,
        now_ms,
        // The demo's accounts have a published password and sign in without a second
        // factor: administrators turn the requirement on for a real office (it is on for
        // supervisors and administrators wherever this setting was never written).
        settings: vec![(crate::staff::auth::SECOND_FACTOR_ROLES_KEY, String::new())],
    })
}
