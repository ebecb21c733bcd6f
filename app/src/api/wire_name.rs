//! The text of a unit enum variant, as its serde attributes spell it on the wire (JSON), so
//! an enum has ONE text mapping: the database, query parameters and the wire all use the names
//! its `#[serde(rename_all = …)]` gives it, and no hand-written `match` can drift from them.

use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::ser::{self, Impossible, Serialize};

/// The serde name of a unit variant (`CaseStatus::Submitted` → `"submitted"`).
///
/// Panics for a value that is not a unit variant of an enum — a programming error that every
/// test touching the enum would show.
pub fn of<T: Serialize>(value: &T) -> &'static str {
    value
        .serialize(NameOnly)
        .expect("wire_name::of takes a unit enum variant")
}

/// The unit variant of `T` the serde name `text` stands for, if any.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let deserializer: StrDeserializer<'_, ValueError> = text.into_deserializer();
    T::deserialize(deserializer).ok()
}

/// `TryFrom<String>` through the serde name, so a text column reads into the enum directly
/// (`#[sqlx(try_from = "String")]` in the server's rows).
macro_rules! from_wire_text {
    ($($enum:ident),* $(,)?) => {
        $(impl TryFrom<String> for super::$enum {
            type Error = String;

            fn try_from(text: String) -> Result<Self, String> {
                parse(&text).ok_or_else(|| format!("no {} is named {text:?}", stringify!($enum)))
            }
        })*
    };
}

from_wire_text!(
    Audience,
    CaseStatus,
    CompanyType,
    FigureKey,
    RatingLevel,
    SiteLevel,
    StaffRole,
    Verdict
);

/// A serializer that only accepts unit variants and answers their (renamed) name.
struct NameOnly;

#[derive(Debug)]
struct NotUnitVariant;

impl std::fmt::Display for NotUnitVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a unit enum variant")
    }
}

impl std::error::Error for NotUnitVariant {}

impl ser::Error for NotUnitVariant {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotUnitVariant
    }
}

macro_rules! refuse {
    ($($name:ident: $ty:ty),* $(,)?) => {
        $(fn $name(self, _: $ty) -> Result<&'static str, NotUnitVariant> { Err(NotUnitVariant) })*
    };
}

impl ser::Serializer for NameOnly {
    type Ok = &'static str;
    type Error = NotUnitVariant;
    type SerializeSeq = Impossible<&'static str, NotUnitVariant>;
    type SerializeTuple = Impossible<&'static str, NotUnitVariant>;
    type SerializeTupleStruct = Impossible<&'static str, NotUnitVariant>;
    type SerializeTupleVariant = Impossible<&'static str, NotUnitVariant>;
    type SerializeMap = Impossible<&'static str, NotUnitVariant>;
    type SerializeStruct = Impossible<&'static str, NotUnitVariant>;
    type SerializeStructVariant = Impossible<&'static str, NotUnitVariant>;

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<&'static str, NotUnitVariant> {
        Ok(variant)
    }

    refuse! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str,
    }

    fn serialize_none(self) -> Result<&'static str, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<&'static str, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_unit(self) -> Result<&'static str, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotUnitVariant> {
        Err(NotUnitVariant)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotUnitVariant> {
        Err(NotUnitVariant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{
        Audience, CaseStatus, CompanyType, RatingLevel, SiteLevel, StaffRole, Verdict,
    };

    #[test]
    fn names_are_the_json_names_and_parse_back() {
        fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(all: &[T]) {
            for v in all {
                let json = serde_json::to_value(v).unwrap();
                assert_eq!(json.as_str(), Some(of(v)));
                assert_eq!(parse::<T>(of(v)).as_ref(), Some(v));
            }
        }
        check(&[
            CaseStatus::Draft,
            CaseStatus::Submitted,
            CaseStatus::Returned,
            CaseStatus::Approved,
            CaseStatus::Rejected,
            CaseStatus::Completed,
            CaseStatus::Withdrawn,
        ]);
        check(&[Audience::Personal, Audience::Business, Audience::Both]);
        check(&SiteLevel::ALL);
        check(&RatingLevel::ALL);
        check(&[
            Verdict::Pending,
            Verdict::Accepted,
            Verdict::Rejected,
            Verdict::Tolerated,
        ]);
        check(&[
            CompanyType::Llc,
            CompanyType::Sole,
            CompanyType::Partnership,
        ]);
        check(&[StaffRole::Reviewer, StaffRole::Manager]);
        assert_eq!(
            Verdict::try_from("tolerated".to_string()),
            Ok(Verdict::Tolerated)
        );
        assert!(Verdict::try_from("Tolerated".to_string()).is_err());
        assert_eq!(parse::<CaseStatus>("Submitted"), None);
        assert_eq!(parse::<CaseStatus>(""), None);
        assert_eq!(
            (
                of(&CaseStatus::Withdrawn),
                of(&SiteLevel::Hall),
                of(&RatingLevel::VeryDissatisfied)
            ),
            ("withdrawn", "hall", "very_dissatisfied")
        );
    }
}
