//! Who works in the service: the four staff roles.

use serde::{Deserialize, Serialize};

/// A staff member's role. What each may do is decided on the server for every action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    CounterStaff,
    DepartmentHead,
    Supervisor,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CounterStaff,
        Role::DepartmentHead,
        Role::Supervisor,
        Role::Administrator,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::CounterStaff => "counter_staff",
            Role::DepartmentHead => "department_head",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A user name as typed on the sign-in form: trimmed, 1 to 64 printable characters.
pub fn parse_username(raw: &str) -> Option<String> {
    let name = raw.trim();
    let ok = !name.is_empty() && name.chars().count() <= 64 && !name.chars().any(char::is_control);
    ok.then(|| name.to_lowercase())
}
