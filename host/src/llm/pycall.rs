//! Python calls in and out: NexusRaven answers `Call: modify_ec2(MinCount=2)`, and the prompt
//! shows examples and history in the same form. Replies are read with ruff's Python parser, so
//! quoting, nesting and several statements are understood as Python understands them.
//!
//! Several statements, tuples of calls and non-literal arguments are all recognised as such, so the
//! router can refuse them by name.
use super::{Answer, Arg, Proposed};
use crate::plugin::spec::Value;
use ruff_python_ast::{Expr, Number, Stmt, UnaryOp};
use ruff_text_size::Ranged;

/// The answer in a NexusRaven reply: whatever follows `Call:`, up to `<bot_end>` or the
/// model's `Thought:`. A reply without `Call:` is prose.
pub fn read_reply(generated: &str) -> Answer {
    match call_text(generated) {
        Some(call) => parse_calls(unquoted(call)),
        None => {
            let text = unquoted(generated.trim());
            if looks_like_a_call(text) || is_identifier(text) { parse_calls(text) } else { Answer::Text(text.into()) }
        }
    }
}

/// A call quoted as Markdown code (`` `deploy()` ``) is still the call.
fn unquoted(text: &str) -> &str {
    text.strip_prefix('`').and_then(|t| t.strip_suffix('`')).map_or(text, str::trim)
}

fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text after `Call:`, if the reply has the marker.
pub fn call_text(generated: &str) -> Option<&str> {
    let start = generated.find("Call:")?;
    let rest = &generated[start + "Call:".len()..];
    let end = ["<bot_end>", "Thought:"].iter().filter_map(|m| rest.find(m)).min().unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// A bare `name(...)` with no `Call:` before it is still meant as a call.
fn looks_like_a_call(text: &str) -> bool {
    text.find('(').is_some_and(|at| text.ends_with(')') && is_identifier(&text[..at]))
}

/// Every top-level call in `source`, in order.
pub fn parse_calls(source: &str) -> Answer {
    if source.is_empty() {
        return Answer::Unreadable("`Call:` is followed by nothing".into());
    }
    let parsed = match ruff_python_parser::parse_module(source) {
        Ok(parsed) => parsed.into_syntax(),
        Err(e) => return Answer::Unreadable(format!("not Python ({e}): {source}")),
    };
    if let [Stmt::Expr(stmt)] = parsed.body.as_slice()
        && let Expr::Name(name) = stmt.value.as_ref()
    {
        return Answer::Name(name.id.to_string());
    }
    let mut calls = vec![];
    for stmt in &parsed.body {
        let Stmt::Expr(stmt) = stmt else {
            return Answer::Unreadable(format!("not a function call: {}", &source[stmt.range()]));
        };
        // `f(a=1), g(b=2)` is a tuple of two calls.
        let exprs: Vec<&Expr> = match stmt.value.as_ref() {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        for expr in exprs {
            match call(expr, source) {
                Some(c) => calls.push(c),
                None => return Answer::Unreadable(format!("not a function call: {}", &source[expr.range()])),
            }
        }
    }
    Answer::Calls(calls)
}

fn call(expr: &Expr, source: &str) -> Option<Proposed> {
    let Expr::Call(c) = expr else { return None };
    let function = match c.func.as_ref() {
        Expr::Name(n) => n.id.to_string(),
        other => source[other.range()].to_string(),
    };
    let positional = c.arguments.args.iter().map(|a| arg(a, source)).collect();
    let keywords = c
        .arguments
        .keywords
        .iter()
        .map(|k| match &k.arg {
            Some(name) => (name.to_string(), arg(&k.value, source)),
            // `**kwargs` has no name to check against a spec.
            None => ("**".to_string(), Arg::Unusable(source[k.range()].to_string())),
        })
        .collect();
    Some(Proposed { function, positional, keywords })
}

fn arg(expr: &Expr, source: &str) -> Arg {
    let unusable = || Arg::Unusable(source[expr.range()].to_string());
    match expr {
        Expr::NoneLiteral(_) => Arg::Absent,
        Expr::StringLiteral(s) => Arg::Given(Value::Text(s.value.to_str().to_string())),
        Expr::NumberLiteral(_) | Expr::UnaryOp(_) => number(expr).map_or_else(unusable, Arg::Given),
        Expr::List(l) => text_list(&l.elts).map_or_else(unusable, Arg::Given),
        Expr::Tuple(t) => text_list(&t.elts).map_or_else(unusable, Arg::Given),
        _ => unusable(),
    }
}

/// `['a', 'b']` as a text list; a list with anything but strings in it is not one.
fn text_list(elts: &[Expr]) -> Option<Value> {
    let texts: Option<Vec<String>> = elts.iter().map(|e| if let Expr::StringLiteral(s) = e { Some(s.value.to_str().to_string()) } else { None }).collect();
    texts.map(Value::TextList)
}

fn number(expr: &Expr) -> Option<Value> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(Value::Int),
            Number::Float(f) => Some(Value::Float(*f)),
            Number::Complex { .. } => None,
        },
        Expr::UnaryOp(u) if u.op == UnaryOp::USub => match number(&u.operand)? {
            Value::Int(i) => i.checked_neg().map(Value::Int),
            Value::Float(f) => Some(Value::Float(-f)),
            _ => None,
        },
        _ => None,
    }
}

/// `modify-ec2` as a Python identifier.
pub fn identifier(intent: &str) -> String {
    intent.replace('-', "_")
}

/// `modify_ec2(MinCount=2, AvailabilityZones=['us-east-1a'])`
pub fn render_call(intent: &str, args: &[(String, Value)]) -> String {
    let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={}", literal(v))).collect();
    format!("{}({})", identifier(intent), args.join(", "))
}

/// A value as Python source.
pub fn literal(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.1}"),
        Value::Float(f) => f.to_string(),
        Value::Text(t) => string(t),
        Value::TextList(items) => format!("[{}]", items.iter().map(|t| string(t)).collect::<Vec<_>>().join(", ")),
    }
}

fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(answer: Answer) -> Vec<Proposed> {
        match answer {
            Answer::Calls(c) => c,
            other => panic!("not calls: {other:?}"),
        }
    }

    #[test]
    fn reads_the_call_after_the_marker() {
        let c = calls(read_reply(" Call: modify_ec2(MinCount=2, MaxCount=4)<bot_end>\nThought: the user wants…"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].function, "modify_ec2");
        assert_eq!(c[0].keywords, vec![("MinCount".into(), Arg::Given(Value::Int(2))), ("MaxCount".into(), Arg::Given(Value::Int(4)))]);
        let c = calls(read_reply("Call: find_cheapest(cpu=2, ram=8.0, arch=None)\nThought: x"));
        assert_eq!(c[0].keywords[1], ("ram".into(), Arg::Given(Value::Float(8.0))));
        assert_eq!(c[0].keywords[2], ("arch".into(), Arg::Absent));
    }

    #[test]
    fn python_values_are_read_as_python_reads_them() {
        let c = calls(parse_calls(r#"modify_asg(AvailabilityZones=("eu-west-1a", 'eu-west-1b'), LaunchTemplateName="it's \"x\"", MinSize=-1)"#));
        assert_eq!(c[0].keywords[0].1, Arg::Given(Value::TextList(vec!["eu-west-1a".into(), "eu-west-1b".into()])));
        assert_eq!(c[0].keywords[1].1, Arg::Given(Value::Text("it's \"x\"".into())));
        assert_eq!(c[0].keywords[2].1, Arg::Given(Value::Int(-1)));
        let c = calls(parse_calls("show_config('all', count=two, n=f(1), flag=True)"));
        assert_eq!(c[0].positional, vec![Arg::Given(Value::Text("all".into()))]);
        assert_eq!(c[0].keywords[0].1, Arg::Unusable("two".into()));
        assert_eq!(c[0].keywords[1].1, Arg::Unusable("f(1)".into()));
        assert_eq!(c[0].keywords[2].1, Arg::Unusable("True".into()));
    }

    #[test]
    fn several_calls_prose_and_garbage_are_told_apart() {
        assert_eq!(calls(read_reply("Call: deploy(); show_config()")).len(), 2);
        assert_eq!(calls(read_reply("Call: deploy(), show_config()")).len(), 2);
        assert_eq!(calls(read_reply("Call: deploy()\nshow_config()")).len(), 2);
        assert!(matches!(read_reply("I think you should use a t3.micro."), Answer::Text(_)));
        assert!(matches!(read_reply("Call: modify_ec2(MinCount=2"), Answer::Unreadable(_)));
        assert!(matches!(read_reply("Call: x = 3"), Answer::Unreadable(_)));
        assert!(matches!(read_reply("Call: <bot_end>"), Answer::Unreadable(_)));
        assert_eq!(calls(read_reply("deploy()"))[0].function, "deploy");
    }

    #[test]
    fn rendered_calls_read_back_the_same() {
        let args = vec![
            ("a".to_string(), Value::Text("it's\\ \"q\"\n".into())),
            ("b".to_string(), Value::Float(8.0)),
            ("c".to_string(), Value::Float(0.25)),
            ("d".to_string(), Value::TextList(vec!["x".into(), "y'z".into()])),
        ];
        let source = render_call("modify-ec2", &args);
        let c = calls(parse_calls(&source));
        assert_eq!(c[0].function, "modify_ec2");
        let back: Vec<(String, Value)> = c[0].keywords.iter().map(|(k, a)| (k.clone(), if let Arg::Given(v) = a { v.clone() } else { panic!() })).collect();
        assert_eq!(back, args);
    }
}
