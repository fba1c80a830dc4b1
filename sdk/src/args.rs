//! `Args`: typed accessors for a call's arguments (`int`, `float`, `text`, `list`), plus `count` (1
//! and up) and `size` (0 and up), which refuse what the AWS APIs' 32-bit Integer cannot hold.
use crate::{Argument, Value};

/// The largest Integer the AWS APIs take for counts and sizes (a 32-bit signed integer).
const MAX_INTEGER: u32 = i32::MAX as u32;

/// The arguments of one call, already checked by the host against the spec's types.
#[derive(Debug, Clone, Default)]
pub struct Args(Vec<Argument>);

impl Args {
    pub fn new(args: Vec<Argument>) -> Self {
        Args(args)
    }

    /// Builds arguments in native tests: `Args::of(&[("cpu", 2.into())])`.
    pub fn of(args: &[(&str, Value)]) -> Self {
        Args(args.iter().map(|(n, v)| Argument { name: (*n).into(), value: v.clone() }).collect())
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|a| a.name == name).map(|a| &a.value)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A float parameter; an int argument is widened.
    pub fn float(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn list(&self, name: &str) -> Option<&[String]> {
        match self.get(name)? {
            Value::TextList(l) => Some(l),
            _ => None,
        }
    }

    /// A count parameter as the configuration stores it; the error names the parameter.
    pub fn count(&self, name: &str) -> Result<Option<u32>, String> {
        match self.int(name) {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_INTEGER).contains(n))
                .map(Some)
                .ok_or_else(|| format!("{name} must be a whole number from 1 to {MAX_INTEGER}, not {n}.")),
        }
    }

    /// A size that may be 0 (an Auto Scaling group's), as the configuration stores it.
    pub fn size(&self, name: &str) -> Result<Option<u32>, String> {
        match self.int(name) {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_INTEGER)
                .map(Some)
                .ok_or_else(|| format!("{name} must be a whole number from 0 to {MAX_INTEGER}, not {n}.")),
        }
    }

    /// Every argument, in the order the router gave them.
    pub fn iter(&self) -> impl Iterator<Item = &Argument> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
