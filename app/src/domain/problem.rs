//! What can be wrong with a field, as stable keys that each page translates.

use crate::i18n::Strings;
use serde::{Deserialize, Serialize};

/// A form field that can carry an error. `id()` is the HTML id of its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Level,
    Tags,
    Comment,
    Ticket,
    Category,
    Place,
    OccurredOn,
    OccurredAt,
    WhatHappened,
    StaffNamed,
    Identity,
    Name,
    Email,
    Phone,
    Photos,
    Body,
    Detail,
    Assignee,
    Department,
    How,
    Finding,
    Measure,
    From,
    To,
    Period,
    At,
    StatsLevel,
    Unit,
    Code,
    Hall,
    NameZhHant,
    NameZhHans,
    NameEn,
    ReplacedBy,
    TimeLimit,
    MaterialsZhHant,
    MaterialsZhHans,
    MaterialsEn,
    Username,
    DisplayName,
    Role,
    Badge,
    Password,
    /// One's own password, asked again before changing it.
    CurrentPassword,
    NewPassword,
    RepeatPassword,
    Active,
    PublicUrl,
    /// How a complaint staff enter reached them (telephone, letter, …).
    Medium,
    /// The day such a complaint was received.
    ReceivedOn,
    /// The counter a member of staff sits at.
    StaffCounter,
    Decision,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::Level => "level-5",
            Field::Tags => "tag-attitude",
            Field::Comment => "comment",
            Field::Ticket => "ticket",
            Field::Category => "category-hard_to_enter",
            Field::Place => "counter",
            Field::OccurredOn => "occurred_on",
            Field::OccurredAt => "occurred_at",
            Field::WhatHappened => "what_happened",
            Field::StaffNamed => "staff_named",
            Field::Identity => "identity-anonymous",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Photos => "photos",
            Field::Body => "body",
            Field::Detail => "detail",
            Field::Assignee => "staff_id",
            Field::Department => "department_id",
            Field::How => "how-called_back",
            Field::Finding => "finding-substantiated",
            Field::Measure => "measure",
            Field::From => "from",
            Field::To => "to",
            Field::Period => "period",
            Field::At => "at",
            Field::StatsLevel => "unit",
            Field::Unit => "unit",
            Field::Code => "code",
            Field::Hall => "hall",
            Field::NameZhHant => "name_zh_hant",
            Field::NameZhHans => "name_zh_hans",
            Field::NameEn => "name_en",
            Field::ReplacedBy => "replaced_by",
            Field::TimeLimit => "time_limit_days",
            Field::MaterialsZhHant => "materials_zh_hant",
            Field::MaterialsZhHans => "materials_zh_hans",
            Field::MaterialsEn => "materials_en",
            Field::Username => "username",
            Field::DisplayName => "display_name",
            Field::Role => "role",
            Field::Badge => "badge",
            Field::Password => "password",
            Field::CurrentPassword => "current_password",
            Field::NewPassword => "new_password",
            Field::RepeatPassword => "repeat_password",
            Field::Active => "active",
            Field::PublicUrl => "public_url",
            Field::Medium => "medium-telephone",
            Field::ReceivedOn => "received_on",
            Field::StaffCounter => "counter_code",
            Field::Decision => "decision-released",
        }
    }
}

/// One problem with one field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    LevelRequired,
    TagUnknown,
    CommentTooLong,
    TextControlChars,
    TicketFormat,
    TicketUsed,
    CategoryRequired,
    PlaceRequired,
    DateInvalid,
    DateInFuture,
    TimeInvalid,
    WhatHappenedRequired,
    WhatHappenedTooLong,
    StaffNamedTooLong,
    IdentityRequired,
    NameRequired,
    NameTooLong,
    ContactRequired,
    EmailInvalid,
    PhoneInvalid,
    PlaceUnknown,
    PhotoNotImage,
    PhotoTooLarge,
    PhotoDamaged,
    TooManyPhotos,
    PhotoGone,
    TextRequired,
    TextTooLong,
    ReasonRequired,
    AssigneeInvalid,
    DepartmentInvalid,
    ChoiceRequired,
    PeriodUnknown,
    RangeBackwards,
    RangeTooLong,
    LevelUnknown,
    UnitUnknown,
    CodeFormat,
    CodeTaken,
    DaysRange,
    LimitRange,
    LimitChanged,
    UsernameFormat,
    UsernameTaken,
    PasswordTooShort,
    /// The client's network holds as many unsent photos as it may.
    PhotoRoomUsed,
    /// Larger in pixels than a photo may be.
    PhotoTooManyPixels,
    /// Among the passwords tried first.
    PasswordCommon,
    /// The current password given to change it is not right.
    PasswordWrong,
    PasswordsDiffer,
    PasswordUnchanged,
    /// The code is not the authenticator's (nor an unused recovery code).
    CodeWrong,
    /// A second factor is set up already: remove it first.
    SecondFactorExists,
    /// The role requires a second factor: it cannot be removed.
    SecondFactorRequired,
    SelfLockout,
    UrlInvalid,
    PlaceInUse,
    /// The counter is not an open counter of the account's department.
    CounterElsewhere,
    /// These held ratings were decided already (by someone else, or by this form sent twice).
    AlreadyDecided,
}

impl Problem {
    pub fn message(self, s: &Strings) -> &'static str {
        match self {
            Problem::LevelRequired => s.err_level_required,
            Problem::TagUnknown => s.err_tag_unknown,
            Problem::CommentTooLong => s.err_comment_too_long,
            Problem::TextControlChars => s.err_text_control_chars,
            Problem::TicketFormat => s.err_ticket_format,
            Problem::TicketUsed => s.err_ticket_used,
            Problem::CategoryRequired => s.err_category_required,
            Problem::PlaceRequired => s.err_place_required,
            Problem::DateInvalid => s.err_date_invalid,
            Problem::DateInFuture => s.err_date_in_future,
            Problem::TimeInvalid => s.err_time_invalid,
            Problem::WhatHappenedRequired => s.err_what_happened_required,
            Problem::WhatHappenedTooLong => s.err_what_happened_too_long,
            Problem::StaffNamedTooLong => s.err_staff_named_too_long,
            Problem::IdentityRequired => s.err_identity_required,
            Problem::NameRequired => s.err_name_required,
            Problem::NameTooLong => s.err_name_too_long,
            Problem::ContactRequired => s.err_contact_required,
            Problem::EmailInvalid => s.err_email_invalid,
            Problem::PhoneInvalid => s.err_phone_invalid,
            Problem::PlaceUnknown => s.cases.err_place_unknown,
            Problem::PhotoNotImage => s.cases.err_photo_not_image,
            Problem::PhotoTooLarge => s.cases.err_photo_too_large,
            Problem::PhotoRoomUsed => s.cases.err_photo_room_used,
            Problem::PhotoTooManyPixels => s.cases.err_photo_too_many_pixels,
            Problem::PhotoDamaged => s.cases.err_photo_damaged,
            Problem::TooManyPhotos => s.cases.err_too_many_photos,
            Problem::PhotoGone => s.cases.err_photo_gone,
            Problem::TextRequired => s.cases.err_text_required,
            Problem::TextTooLong => s.cases.err_text_too_long,
            Problem::ReasonRequired => s.cases.err_reason_required,
            Problem::AssigneeInvalid => s.cases.err_assignee_invalid,
            Problem::DepartmentInvalid => s.cases.err_department_invalid,
            Problem::ChoiceRequired => s.cases.err_choice_required,
            Problem::PeriodUnknown => s.stats.err_period_unknown,
            Problem::RangeBackwards => s.stats.err_range_backwards,
            Problem::RangeTooLong => s.stats.err_range_too_long,
            Problem::LevelUnknown => s.stats.err_level_unknown,
            Problem::UnitUnknown => s.stats.err_unit_unknown,
            Problem::CodeFormat => s.admin.err_code_format,
            Problem::CodeTaken => s.admin.err_code_taken,
            Problem::PlaceInUse => s.admin.err_place_in_use,
            Problem::CounterElsewhere => s.accounts.err_counter_elsewhere,
            Problem::DaysRange => s.admin.err_days_range,
            Problem::LimitRange => s.limits.err_range,
            Problem::LimitChanged => s.limits.err_changed,
            Problem::UsernameFormat => s.accounts.err_username_format,
            Problem::UsernameTaken => s.accounts.err_username_taken,
            Problem::PasswordTooShort => s.accounts.err_password_short,
            Problem::PasswordCommon => s.accounts.err_password_common,
            Problem::PasswordWrong => s.accounts.err_password_wrong,
            Problem::PasswordsDiffer => s.accounts.err_passwords_differ,
            Problem::PasswordUnchanged => s.accounts.err_password_unchanged,
            Problem::CodeWrong => s.accounts.err_code_wrong,
            Problem::SecondFactorExists => s.accounts.err_second_factor_exists,
            Problem::SecondFactorRequired => s.accounts.err_second_factor_required,
            Problem::SelfLockout => s.accounts.err_self_lockout,
            Problem::UrlInvalid => s.admin.err_url_invalid,
            Problem::AlreadyDecided => s.supervision.err_already_decided,
        }
    }
}

/// The problems of a whole form, in the order of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(Field, Problem)>);

impl FieldErrors {
    pub fn single(field: Field, problem: Problem) -> Self {
        FieldErrors(vec![(field, problem)])
    }
    pub fn push(&mut self, field: Field, problem: Problem) {
        self.0.push((field, problem));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: Field) -> Option<Problem> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
    }
    /// A duplicate ticket is a conflict with stored data, not malformed input.
    pub fn is_conflict(&self) -> bool {
        self.0
            .iter()
            .any(|(_, p)| matches!(p, Problem::TicketUsed | Problem::CodeTaken | Problem::UsernameTaken | Problem::LimitChanged | Problem::AlreadyDecided))
    }
}
