//! Every reader of outside input, fed arbitrary Unicode and bytes with proptest: Tab completion,
//! the REPL's line guard (`input::admit`), the offline router and its number reader, the MCP
//! JSON-RPC framing, the config file loader and the session file loader. None may panic or hang;
//! what is read is either kept or reported, never dropped without a word.
//!
//! Each property runs from a fixed seed, so every run tries the same cases and a failure is
//! never a fluke; case counts are kept small so the file runs in seconds.
mod common;

use aws_agent::completion::Words;
use aws_agent::input::{self, MAX_LINE_BYTES};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::borrow::Cow;

/// A runner that tries `cases` inputs from the same seed every time.
fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(Config { cases, failure_persistence: None, ..Config::default() }, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    if let Err(e) = runner(cases).run(&strategy, test) {
        panic!("{e}");
    }
}

/// Text people paste: letters, digits, every kind of space, accents, emoji, controls and
/// escape introducers, mixed with arbitrary characters.
fn pasted() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 .,-]{1,8}",
        2 => Just("\u{a0}".to_string()),
        2 => Just("\u{3000}".to_string()),
        1 => Just("e\u{301}".to_string()),
        1 => Just("👩‍👩‍👧".to_string()),
        1 => Just("\u{1b}[".to_string()),
        1 => Just("\u{1b}]".to_string()),
        1 => Just("\u{9b}".to_string()),
        1 => Just("\t\r\u{0}".to_string()),
        3 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Escape sequences as terminals send them, and the text each leaves (none).
fn escape() -> impl Strategy<Value = String> {
    prop_oneof![
        "\u{1b}\\[[0-9;]{0,6}[A-Za-z~]",
        "\u{1b}\\][0-9];[a-zA-Z ]{0,10}\u{7}",
        "\u{1b}\\][0-9];[a-zA-Z ]{0,10}\u{1b}\\\\",
        "\u{1b}P[a-z0-9#;]{0,8}\u{1b}\\\\",
        "\u{9b}[0-9;]{0,4}[A-Za-z]",
        "\u{1b}[()][AB0]",
        "\u{1b}[78cDEHM=>]",
    ]
}

#[test]
fn completion_takes_any_line_and_cursor() {
    let words = Words::new(["MinCount", "MinSize", "modify-asg", "history", "Größe", "東京"].map(String::from).to_vec());
    check(3000, (pasted(), 0..200usize), |(line, pos)| {
        let (start, found) = words.candidates(&line, pos);
        prop_assert!(line.is_char_boundary(start) && start <= pos.max(start).min(line.len()));
        for w in &found {
            let typed = &line[start..line.floor_char_boundary(pos)];
            prop_assert!(w.to_lowercase().starts_with(&typed.to_lowercase()), "{w} for {typed:?}");
        }
        Ok(())
    });
}

#[test]
fn admit_refuses_long_lines_and_keeps_every_printable_character() {
    check(3000, pasted(), |line| {
        let admitted = input::admit(&line).expect("short lines are read");
        prop_assert!(!admitted.chars().any(char::is_control), "{admitted:?}");
        // Without escape introducers, only controls go: every other character stays, in order.
        if !line.contains(['\u{1b}', '\u{9b}', '\u{9d}', '\u{90}', '\u{98}', '\u{9e}', '\u{9f}']) {
            let kept: String = line.chars().filter(|c| !c.is_control() || c.is_whitespace()).map(|c| if c.is_control() { ' ' } else { c }).collect();
            let kept: String = kept.chars().filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')).collect();
            prop_assert_eq!(&*admitted, kept.as_str());
        }
        prop_assert_eq!(matches!(admitted, Cow::Borrowed(_)), *admitted == *line);
        // A change that removed characters is said.
        prop_assert_eq!(input::note(&line, &admitted).is_some(), admitted.chars().count() < line.chars().count());
        Ok(())
    });
}

#[test]
fn admit_removes_escape_sequences_whole() {
    let text = "[a-zA-Z0-9 .é東]{0,6}";
    check(2000, prop::collection::vec((text, escape()), 0..8), |pieces| {
        let line: String = pieces.iter().map(|(t, e)| format!("{t}{e}")).collect();
        let want: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        prop_assert_eq!(input::admit(&line).expect("short").into_owned(), want);
        Ok(())
    });
}

#[test]
fn admit_takes_any_bytes_and_refuses_only_what_is_too_long() {
    check(300, prop::collection::vec(any::<u8>(), 0..(3 * MAX_LINE_BYTES)), |bytes| {
        let line = String::from_utf8_lossy(&bytes);
        match input::admit(&line) {
            Ok(admitted) => prop_assert!(line.len() <= MAX_LINE_BYTES && admitted.len() <= line.len()),
            Err(refusal) => {
                prop_assert!(line.len() > MAX_LINE_BYTES);
                let message = refusal.to_string();
                prop_assert!(message.chars().count() < 200 && !message.chars().any(char::is_control), "{message:?}");
            }
        }
        Ok(())
    });
}

/// Numbers people and pastes write: huge, tiny, signed, with exponents, separators and units.
fn numbers() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        "[0-9]{1,40}",
        "-?[0-9]{0,4}[.,][0-9]{0,4}",
        "[0-9]{1,3}(,[0-9]{3}){1,4}",
        "[0-9]e[+-]?[0-9]{1,4}",
        Just("1e309".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("½".to_string()),
        Just("١٢".to_string()),
        Just("９".to_string()),
    ];
    let unit = prop_oneof![Just(""), Just(" "), Just("gb"), Just(" GiB"), Just(" mb"), Just("tb"), Just(" cpus"), Just("%"), Just("k")];
    let word = prop_oneof![Just("min count"), Just("max size"), Just("between"), Just("and"), Just("to"), Just("with"), Just("ram"), Just("in tokyo")];
    prop::collection::vec((number, unit, word), 1..6).prop_map(|parts| parts.iter().map(|(n, u, w)| format!("{n}{u} {w}")).collect::<Vec<_>>().join(" "))
}

/// The router, and the tokeniser and number reader under it (`router/text.rs`), on anything
/// typed: every utterance is routed or refused with a message, never a panic.
#[test]
fn the_router_takes_any_text_and_any_number() {
    let session = common::session();
    check(1500, prop_oneof![pasted(), numbers()], |text| {
        match session.router().route(&text) {
            Ok(routed) => {
                prop_assert!(routed.plan.iter().all(|c| !c.intent.is_empty()));
                prop_assert!(!routed.plan.is_empty() || routed.notes.iter().any(|n| !n.trim().is_empty()), "nothing run and nothing said for {text:?}");
            }
            Err(e) => prop_assert!(!e.to_string().trim().is_empty(), "a refusal without words for {text:?}"),
        }
        Ok(())
    });
}

/// JSON-RPC messages with pieces cut, swapped or replaced: the framing answers each one that is
/// not a message rmcp can serve with a short JSON-RPC error, and never panics.
fn jsonrpc_lines() -> impl Strategy<Value = Vec<u8>> {
    let id = prop_oneof![Just("1"), Just("\"a\""), Just("null"), Just("1.5"), Just("{}"), Just("1e309"), Just("-9223372036854775809")];
    let method = prop_oneof![Just("\"tools/call\""), Just("\"initialize\""), Just("\"ping\""), Just("\"tools/list\""), Just("7"), Just("\"no/such\"")];
    let params = prop_oneof![
        Just("{\"name\":\"show-config\",\"arguments\":{}}"),
        Just("{\"name\":\"show-config\",\"arguments\":[1,2]}"),
        Just("{\"arguments\":\"x\"}"),
        Just("[1]"),
        Just("\"\\ud800\""),
        Just("{\"name\":5}"),
        Just("{}"),
    ];
    let message = (id, method, params, any::<bool>()).prop_map(|(id, method, params, version)| {
        format!(r#"{{"jsonrpc":{},"id":{id},"method":{method},"params":{params}}}"#, if version { "\"2.0\"" } else { "\"1.0\"" }).into_bytes()
    });
    prop_oneof![
        3 => (message.clone(), any::<prop::sample::Index>()).prop_map(|(m, cut)| m[..cut.index(m.len() + 1)].to_vec()),
        3 => message,
        2 => prop::collection::vec(any::<u8>(), 0..64),
        1 => pasted().prop_map(String::into_bytes),
    ]
}

#[test]
fn the_jsonrpc_framing_answers_every_line_it_cannot_pass_on() {
    use aws_agent::mcp::jsonrpc::{Incoming, read};
    check(4000, jsonrpc_lines(), |line| {
        match read(&line) {
            Incoming::Refused(r) | Incoming::Dropped(r) => {
                prop_assert!([-32700, -32600, -32602].contains(&r.code), "{r:?}");
                prop_assert!(r.message.chars().count() < 300, "{r:?}");
                prop_assert!(r.id.is_null() || r.id.is_string() || r.id.is_i64(), "{r:?}");
                prop_assert!(serde_json::from_str::<serde_json::Value>(&r.body().to_string()).is_ok());
            }
            Incoming::Message(_) => prop_assert!(serde_json::from_slice::<serde_json::Value>(&line).is_ok()),
            Incoming::Blank => prop_assert!(line.iter().all(u8::is_ascii_whitespace) || line.starts_with(b"\xef\xbb\xbf")),
        }
        Ok(())
    });
}

/// Config files as people write them, with values swapped, quotes lost and lines cut.
fn config_texts() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("region"),
        Just("plugins"),
        Just("catalog"),
        Just("log_seconds"),
        Just("fuel"),
        Just("memory_mib"),
        Just("llm"),
        Just("reflect"),
        Just("llm_timeout"),
        Just("regoin"),
        Just("[grants]\nx"),
    ];
    let value = prop_oneof![
        Just("\"eu-west-1\"".to_string()),
        Just("ten".to_string()),
        Just("\"ten\"".to_string()),
        Just("-5".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("[\"/a\", 3]".to_string()),
        Just("2.5".to_string()),
        Just("true".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("{ a = 1 }".to_string()),
        "[a-z0-9\" \\[\\]{}=.,-]{0,12}",
    ];
    let line = (key, value).prop_map(|(k, v)| format!("{k} = {v}"));
    prop_oneof![
        3 => prop::collection::vec(line, 0..5).prop_map(|lines| lines.join("\n")),
        1 => pasted(),
    ]
}

/// The config loader: a file is read or refused with one line that names the file and a line.
#[test]
fn the_config_loader_reads_or_names_the_line_of_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    check(600, config_texts(), |text| {
        std::fs::write(&path, &text).unwrap();
        if let Err(e) = aws_agent::settings::FileSettings::load(&path) {
            let message = e.to_string();
            let lines = text.split('\n').count().max(1);
            let at = format!("{} line ", path.display());
            prop_assert!(message.starts_with(&at), "{message}");
            let line: usize = message[at.len()..].split(':').next().unwrap_or("").parse().unwrap_or(0);
            prop_assert!((1..=lines).contains(&line), "line {line} of {lines}: {message}");
            prop_assert!(!message.contains('\n') && message.chars().count() < 500 && !message.contains("u64"), "{message}");
        }
        Ok(())
    });
}

/// The session file loader (`journal::Journal::load`), on files cut short, with fields swapped
/// and with arbitrary bytes: it loads or says why, never panics.
#[test]
fn the_session_file_loader_takes_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let mut session = common::session();
    let _ = common::say(&mut session, "4 RAM");
    let _ = common::say(&mut session, "min count 2");
    session.remember_in(path.clone(), false).expect("a session file");
    let _ = common::say(&mut session, "enable autoscaling");
    let good = std::fs::read(&path).expect("the session was saved");
    let swaps = prop_oneof![Just(("t4g.medium", "zz9.mega")), Just(("2", "-1")), Just(("2", "1e309")), Just(("true", "\"yes\"")), Just(("\"", "\\ud800\""))];
    let damaged = (any::<prop::sample::Index>(), swaps).prop_map(move |(cut, (from, to))| {
        let text = String::from_utf8_lossy(&good).replacen(from, to, 1).into_bytes();
        text[..cut.index(text.len() + 1)].to_vec()
    });
    check(600, prop_oneof![3 => damaged, 1 => prop::collection::vec(any::<u8>(), 0..256)], |bytes| {
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = aws_agent::journal::Journal::load(&path) {
            prop_assert!(!e.to_string().trim().is_empty());
        }
        Ok(())
    });
}
