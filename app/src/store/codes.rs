//! The codes the schema stores as text (a case's kind and status, a staff member's role),
//! decoded into their domain types as rows are read: a value the domain does not know is a
//! decoding error, never a guess.

use crate::domain::Role;
use crate::domain::case::{CaseKind, Status};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Type};

macro_rules! text_code {
    ($ty:ty, $what:literal) => {
        impl Type<Sqlite> for $ty {
            fn type_info() -> SqliteTypeInfo {
                <&str as Type<Sqlite>>::type_info()
            }
            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <&str as Type<Sqlite>>::compatible(ty)
            }
        }
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }
            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }
        impl<'r> Decode<'r, Sqlite> for $ty {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                let code = <&str as Decode<Sqlite>>::decode(value)?;
                <$ty>::parse(code).ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), code).into())
            }
        }
        impl<'r> Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let code = <&str as Decode<Postgres>>::decode(value)?;
                <$ty>::parse(code).ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), code).into())
            }
        }
    };
}

text_code!(CaseKind, "case kind");
text_code!(Status, "case status");
text_code!(Role, "staff role");
