//! Conversions that keep plugin code free of wit-bindgen's shapes.
//!
//! Into `Value` and `SqlValue`, `Row` accessors by column name, and `Default` for `Ec2Update`,
//! `AsgUpdate` and `Requirements`.
use crate::{Rows, SqlValue, Value};
use std::fmt;

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.into())
    }
}

impl From<&[&str]> for Value {
    fn from(v: &[&str]) -> Self {
        Value::TextList(v.iter().map(|s| (*s).into()).collect())
    }
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Integer(v)
    }
}

impl From<f64> for SqlValue {
    fn from(v: f64) -> Self {
        SqlValue::Real(v)
    }
}

impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.into())
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

impl SqlValue {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            SqlValue::Integer(i) => Some(*i as f64),
            SqlValue::Real(r) => Some(*r),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            SqlValue::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            SqlValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for SqlValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlValue::Null => Ok(()),
            SqlValue::Integer(i) => write!(f, "{i}"),
            SqlValue::Real(r) => write!(f, "{r}"),
            SqlValue::Text(s) => f.write_str(s),
        }
    }
}

/// One row of a query result, addressed by column name.
pub struct Row<'a> {
    columns: &'a [String],
    values: &'a [SqlValue],
}

impl Row<'_> {
    pub fn get(&self, column: &str) -> &SqlValue {
        self.columns.iter().position(|c| c == column).and_then(|i| self.values.get(i)).unwrap_or(&SqlValue::Null)
    }

    pub fn text(&self, column: &str) -> String {
        self.get(column).to_string()
    }

    pub fn f64(&self, column: &str) -> f64 {
        self.get(column).as_f64().unwrap_or(0.0)
    }

    pub fn i64(&self, column: &str) -> i64 {
        self.get(column).as_i64().unwrap_or(0)
    }
}

impl Rows {
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|values| Row { columns: &self.columns, values })
    }

    pub fn first(&self) -> Option<Row<'_>> {
        self.iter().next()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

// Hand-written because wit-bindgen cannot derive Default for every generated type, and a derive
// cannot be added to one generated type from here.
#[allow(clippy::derivable_impls, reason = "wit-bindgen generates the type; no derive can be added here")]
impl Default for crate::Requirements {
    fn default() -> Self {
        crate::Requirements { constraints: vec![], summary: String::new(), chosen: None, region: None }
    }
}

#[allow(clippy::derivable_impls, reason = "wit-bindgen generates the type; no derive can be added here")]
impl Default for crate::Ec2Update {
    fn default() -> Self {
        crate::Ec2Update { region: None, instance_type: None, image_id: None, min_count: None, max_count: None }
    }
}

#[allow(clippy::derivable_impls, reason = "wit-bindgen generates the type; no derive can be added here")]
impl Default for crate::AsgUpdate {
    fn default() -> Self {
        crate::AsgUpdate {
            enabled: None,
            launch_template_name: None,
            vpc_zone_identifier: None,
            availability_zones: None,
            min_size: None,
            max_size: None,
            desired_capacity: None,
        }
    }
}
