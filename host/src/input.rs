//! What a line typed or piped into the REPL must be before anything reads it.
//!
//! [`admit`] is called on every line, before routing, history and the session file:
//!
//! - A line over [`MAX_LINE_BYTES`] (8 KiB of UTF-8) is refused whole with a [`Refusal`]: a short
//!   message that shows only the line's start, cut with "…". No request this agent understands
//!   comes near that length (the longest labelled utterance in `tests/eval` has under 200
//!   characters), while a paste of a whole file does.
//! - Terminal escape sequences are removed whole, so a pasted line cannot move the cursor, retitle
//!   the window or hide text when it is echoed: CSI (`ESC [` … final byte), OSC (`ESC ]` … BEL or
//!   ST), DCS, SOS, PM and APC strings (`ESC P`, `ESC X`, `ESC ^`, `ESC _` … ST), the other
//!   two- and three-character `ESC` sequences, and the same introducers as single C1 characters
//!   (U+009B, U+009D, …). The grammar is ECMA-48 (5th edition), sections 5.3–5.6 and 8.3.
//! - Control characters (Unicode category Cc: C0, DEL, C1) are removed, except that tab and the
//!   line and page breaks become a space, so words they separated stay apart. The bidirectional
//!   embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which reorder how
//!   the echo is displayed, are removed too.
//!
//! Nothing else changes: every other character is kept, in order. The result is borrowed when
//! the line needed no change, and [`note`] says what was removed, so nothing is dropped without
//! a word.
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// The longest line read, in bytes of UTF-8 (8 KiB).
pub const MAX_LINE_BYTES: usize = 8 * 1024;

/// How many characters (grapheme clusters) of a refused line are shown.
pub const PREVIEW_CHARS: usize = 40;

/// A line that is not read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The line's length in bytes of UTF-8.
    pub bytes: usize,
    /// The line's start without controls or escape sequences, cut to [`PREVIEW_CHARS`] with "…".
    pub preview: String,
}

/// "Not read: that line has 1,000,000 bytes, over the limit of 8 KiB (8,192 bytes). It began
/// "cheapest …"."
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (bytes, limit) = (thousands(self.bytes), thousands(MAX_LINE_BYTES));
        write!(f, "Not read: that line has {bytes} bytes, over the limit of 8 KiB ({limit} bytes). It began \"{}\".", self.preview)
    }
}

impl std::error::Error for Refusal {}

/// The line as the REPL should read it: refused when over [`MAX_LINE_BYTES`], else with terminal
/// escape sequences and control characters removed (see the module doc). `Cow::Borrowed` exactly
/// when nothing was changed.
pub fn admit(line: &str) -> Result<Cow<'_, str>, Refusal> {
    if line.len() > MAX_LINE_BYTES {
        // Only the start is looked at, so a refusal costs the same whatever the line's length.
        let start = &line[..line.floor_char_boundary(PREVIEW_CHARS * 16)];
        let preview = cut(strip(start).trim(), PREVIEW_CHARS).into_owned();
        return Err(Refusal { bytes: line.len(), preview });
    }
    Ok(strip(line))
}

/// "Removed 3 control characters or terminal escape codes from that line." when `admitted`
/// (what [`admit`] returned for `line`) lost characters; `None` when it lost none.
pub fn note(line: &str, admitted: &str) -> Option<String> {
    let removed = line.chars().count().saturating_sub(admitted.chars().count());
    match removed {
        0 => None,
        1 => Some("Removed 1 control character or terminal escape code from that line.".into()),
        n => Some(format!("Removed {} control characters or terminal escape codes from that line.", thousands(n))),
    }
}

/// `text` cut to at most `max` grapheme clusters (at least 1), the last of them "…" when
/// anything was cut; never inside a character or a cluster (an accent stays on its letter, a
/// flag stays whole).
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    let mut clusters = text.grapheme_indices(true);
    match clusters.nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let end = text.grapheme_indices(true).nth(max.saturating_sub(1)).map_or(0, |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// String Terminator as one C1 character.
const ST: char = '\u{9c}';

/// `text` without escape sequences and control characters (see the module doc).
pub fn strip(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    control_sequence(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    control_string(&mut chars);
                }
                // Single shifts take the next character with them (ECMA-48, 8.3.137).
                Some('N' | 'O') => {
                    chars.next();
                    chars.next();
                }
                // nF escapes: intermediates, then one final character (ECMA-35, 13.2).
                Some('\u{20}'..='\u{2f}') => {
                    while chars.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
                    chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
                }
                // Fp, Fe and Fs escapes: one final character.
                Some('\u{30}'..='\u{7e}') => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => control_sequence(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => control_string(&mut chars),
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The rest of a CSI sequence: parameter and intermediate bytes, then the final byte. A
/// character outside the grammar ends the sequence and is read as text again.
fn control_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| ('\u{20}'..='\u{3f}').contains(c)).is_some() {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// The rest of an OSC, DCS, SOS, PM or APC string: up to BEL (which xterm accepts for OSC) or
/// ST (`ESC \` or U+009C), or the end of the line.
fn control_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | ST => return,
            ESC if chars.next_if_eq(&'\\').is_some() => return,
            _ => {}
        }
    }
}

/// Unicode's explicit directional formatting characters (UAX #9, section 2).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// 1000000 as "1,000,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_pass_unchanged_and_borrowed() {
        for line in ["cheapest with 2 vCPUs and 8 GB", "", "São Paulo\u{a0}区域\u{3000}4 GB", "👩‍👩‍👧 🇯🇵"] {
            assert!(matches!(admit(line), Ok(Cow::Borrowed(l)) if l == line), "{line:?}");
            assert_eq!(note(line, line), None);
        }
    }

    #[test]
    fn escape_sequences_go_whole_and_controls_go() {
        let cases = [
            ("\u{1b}[31mred\u{1b}[0m 4 GB", "red 4 GB"),
            ("\u{1b}]0;owned\u{7}title", "title"),
            ("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link"),
            ("a\u{1b}Pq#0;1\u{1b}\\b", "ab"),
            ("\u{1b}(Bx\u{1b}7y\u{1b}c", "xy"),
            ("\u{1b}OAup", "up"),
            ("\u{9b}2Jclear", "clear"),
            ("\u{9d}0;t\u{9c}ok", "ok"),
            ("a\u{0}b\u{7f}c\u{8}d", "abcd"),
            ("min\tcount\r2", "min count 2"),
            ("\u{202e}txt.exe\u{202c}", "txt.exe"),
            ("\u{1b}", ""),
            ("\u{1b}[", ""),
            // A character outside the CSI grammar ends it and stays.
            ("\u{1b}[1é", "é"),
        ];
        for (line, want) in cases {
            let got = admit(line).unwrap();
            assert!(matches!(got, Cow::Owned(_)), "{line:?}");
            assert_eq!(got, want, "{line:?}");
        }
        assert_eq!(note("\u{1b}[31mred", "red"), Some("Removed 5 control characters or terminal escape codes from that line.".into()));
        assert_eq!(note("a\u{0}", "a"), Some("Removed 1 control character or terminal escape code from that line.".into()));
        assert_eq!(note("a\tb", "a b"), None);
    }

    #[test]
    fn a_long_line_is_refused_with_its_start_only() {
        assert!(admit(&"x".repeat(MAX_LINE_BYTES)).is_ok());
        let line = format!("\u{1b}[1m{}", "é".repeat(500_000));
        let refusal = admit(&line).unwrap_err();
        assert_eq!(refusal.bytes, 1_000_004);
        assert_eq!(refusal.preview, format!("{}…", "é".repeat(PREVIEW_CHARS - 1)));
        let message = refusal.to_string();
        assert!(message.starts_with("Not read: that line has 1,000,004 bytes, over the limit of 8 KiB (8,192 bytes). It began \"éé"), "{message}");
        assert!(message.chars().count() < 150, "{message}");
    }

    #[test]
    fn cuts_keep_clusters_whole() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        assert_eq!(cut("e\u{301}e\u{301}e\u{301}e\u{301}", 3), "e\u{301}e\u{301}…");
        assert_eq!(cut("🇯🇵🇯🇵🇯🇵🇯🇵", 2), "🇯🇵…");
        assert_eq!(cut("ab", 1), "…");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }
}
