//! Turning what people type into tokens a router can match: lower case (keeping the original
//! spelling for free-text values), numbers in digits, units split from their numbers.
//!
//! In full, it: lowercases (keeping the original spelling for free-text values); turns number words
//! into digits ("twenty four", "sixty-four", "two hundred fifty-six", "half a", "two and a half");
//! splits units and counted nouns from numbers ("8gb" → 8, gb; "4cpu" → 4, cpu; "1x"; "single-GPU"
//! → 1, gpu); keeps percentages apart from counts ("80%"); reads ranges ("2-6", "2 to 6" → from 2
//! to 6); spells bounds one way ("no fewer than", "a minimum of" → at least; "up to" → at most);
//! moves a trailing bound before its number ("10 instances at most" → at most 10 instances); reads
//! bounds through a negation a few words back ("never go under 2", "don't let it grow beyond 8");
//! reads short replies and everyday instance nouns as examples spell them ("y" → yes; "servers",
//! "nodes", "computers" → instances); marks clause starts after commas; stems lightly
//! ("autoscaling" ~ "autoscale", "running" ~ "run"); and converts memory units to GiB.

use super::lexicon::{self, ABOVE, BELOW, MEMORY_UNITS, NUMBER_WORDS, PHRASES, SPELLINGS};

fn canonical_spelling(word: &str) -> Option<&'static str> {
    SPELLINGS.iter().find(|(w, _)| *w == word).map(|(_, c)| *c)
}

/// One word of an utterance: `text` normalised for matching, `original` as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Token {
    pub text: String,
    pub original: String,
    /// A comma, semicolon or sentence end came before this word: values do not reach across it.
    pub clause_start: bool,
    /// A sentence ended before this word ("." "!" "?" and a space), or it is the first.
    pub sentence_start: bool,
    /// This word ends a sentence that closes with "?".
    pub asks: bool,
    /// Inside quotation marks ("…", '…', `…`, “…”): words the user quotes, not says.
    pub quoted: bool,
}

impl Token {
    pub fn new(text: impl Into<String>, original: impl Into<String>) -> Token {
        Token { text: text.into(), original: original.into(), ..Default::default() }
    }
}

/// How many of `unit` one `word` is, if `word` is a unit of the same kind.
pub fn unit_factor(unit: &str, word: &str) -> Option<f64> {
    (unit.eq_ignore_ascii_case("GiB")).then_some(())?;
    MEMORY_UNITS.iter().find(|(w, _)| *w == word).map(|(_, f)| *f)
}

/// "-5": a number with its sign, which no count or size takes.
pub fn is_negative_number(token: &str) -> bool {
    token.strip_prefix('-').is_some_and(is_number)
}

pub fn is_number(token: &str) -> bool {
    let mut parts = token.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && parts.next().is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn number_word(word: &str) -> Option<u32> {
    NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

/// "16,384" and "2,000,000": digits grouped by thousands, which a comma would otherwise cut
/// into two numbers and a clause.
static THOUSANDS: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(^|[^\d,.])(\d{1,3}(?:,\d{3})+)(\D|$)").expect("valid regex"));

/// "1,5 GB": a decimal comma, read where a memory unit follows (a comma between two counts
/// stays a list: "2,4 instances").
static DECIMAL_COMMA: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(^|[^\d,.])(\d+),(\d{1,2})(\s*(?:gib|gb|gigs?|gigabytes?|mib|mb|tib|tb|terabytes?|megabytes?)\b)").expect("valid regex")
});

/// "1e3", "2.5e2": a number in scientific notation, written out when it is finite and not
/// absurdly large (anything else stays as typed and is reported where it is used).
static EXPONENT: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(^|[^\w.])(\d+(?:\.\d+)?[eE]\d{1,3})\b").expect("valid regex"));

/// What people type, as the reader can take it: escape sequences and other control characters
/// gone, compatibility forms folded (full-width "８ ＧＢ" is "8 GB", "½" is "1⁄2"), digits of other
/// scripts as ASCII digits, "1⁄2" as 0.5, decimal commas before a memory unit as points, and
/// numbers in scientific notation written out.
pub fn clean(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // The same reading of escapes and controls as the REPL's line guard.
    let text = crate::input::strip(text);
    let text: String = text.nfkc().map(|c| ascii_digit(c).unwrap_or(c)).collect();
    let text = FRACTION.replace_all(&text, |c: &regex::Captures| {
        let (n, d) = (c[2].parse::<f64>().unwrap_or(0.0), c[3].parse::<f64>().unwrap_or(1.0));
        let whole = c.get(1).and_then(|w| w.as_str().trim().parse::<f64>().ok()).unwrap_or(0.0);
        if d == 0.0 { c[0].to_string() } else { format!("{}", whole + n / d) }
    });
    let text = DECIMAL_COMMA.replace_all(&text, "$1$2.$3$4");
    // A name is kept as typed ("template 1e9" names it "1e9").
    let named = |at: usize| text[..at].split_whitespace().next_back().is_some_and(|w| lexicon::is(&lexicon::NAMING, &w.to_lowercase()));
    EXPONENT
        .replace_all(&text, |c: &regex::Captures| match c[2].to_lowercase().parse::<f64>() {
            Ok(n) if n.is_finite() && n < 1e15 && !named(c.get(0).map_or(0, |m| m.start())) => format!("{}{n}", &c[1]),
            _ => c[0].to_string(),
        })
        .into_owned()
}

/// "1⁄2", "3 1⁄2": a vulgar fraction as NFKC writes it (with the fraction slash), or with "/".
static FRACTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| regex::Regex::new(r"(\d+ )?(\d+)\u{2044}(\d+)").expect("valid regex"));

/// The digit a decimal digit of another script stands for ("٤" → '4'): Unicode numbers its
/// decimal digits in runs of ten from a zero.
fn ascii_digit(c: char) -> Option<char> {
    const ZEROS: [u32; 14] = [0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50, 0x0F20];
    let code = c as u32;
    ZEROS.iter().find(|&&zero| (zero..zero + 10).contains(&code)).and_then(|zero| char::from_digit(code - zero, 10))
}

/// Quotation marks that open or close quoted words.
const QUOTES: [char; 8] = ['"', '\'', '`', '“', '”', '‘', '’', '«'];

pub fn tokens(text: &str) -> Vec<Token> {
    let mut raw: Vec<Token> = Vec::new();
    let mut clause_start = false;
    let mut sentence_start = true;
    let mut quoted = false;
    let cleaned = clean(text);
    // Run twice: a match consumes the character after it, which may start the next group.
    let ungrouped = THOUSANDS.replace_all(&cleaned, |c: &regex::Captures| format!("{}{}{}", &c[1], c[2].replace(',', ""), &c[3]));
    let ungrouped = THOUSANDS.replace_all(&ungrouped, |c: &regex::Captures| format!("{}{}{}", &c[1], c[2].replace(',', ""), &c[3]));
    for word in ungrouped.split_inclusive(|c: char| c.is_whitespace() || ",;!?()\"`:=/*<>[]{}|“”«»".contains(c)) {
        let bare = word.trim();
        // A quote opens at the start of a word and closes at its end; an apostrophe inside a
        // word ("don't") is neither.
        let opens = bare.starts_with(QUOTES) && !quoted;
        let closes =
            (bare.ends_with(QUOTES) || bare.trim_end_matches(['.', ',', '!', '?', ';']).ends_with(QUOTES)) && (quoted || opens) && bare.chars().count() > 1
                || (quoted && !opens && bare.len() == 1 && bare.starts_with(QUOTES));
        quoted |= opens;
        let in_quotes = quoted;
        if closes {
            quoted = false;
        }
        // A sentence ends at ".", "!" or "?" (not the point inside "m5.large" or "0.5").
        let ends_sentence = bare.trim_end_matches(QUOTES).ends_with(['.', '!', '?']);
        let asks = bare.trim_end_matches(QUOTES).ends_with('?');
        // A colon introduces a value ("MinSize: 2"); commas, semicolons and a dash standing
        // alone ("scratch that — finance won't sign off") separate clauses.
        let ends_clause = word.ends_with([',', ';']) || ends_sentence || ["—", "–", "-", "--"].contains(&bare);
        // "80%" is a share, not a count of anything a parameter takes.
        let percent = word.trim_end_matches(|c: char| c.is_whitespace() || ",;!?.)".contains(c)).ends_with('%');
        // "-5" keeps its sign, so a negative number is never read as a positive one.
        let negative = word.trim_start().starts_with('-') && word.trim_start()[1..].starts_with(|c: char| c.is_ascii_digit());
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let word = word.strip_suffix("'s").unwrap_or(word);
        if word.is_empty() {
            clause_start |= ends_clause;
            sentence_start |= ends_sentence;
            if asks && let Some(last) = raw.last_mut() {
                last.asks = true;
            }
            continue;
        }
        let first = raw.len();
        let lower = word.to_lowercase();
        if negative && is_number(&lower) {
            raw.push(Token::new(format!("-{lower}"), format!("-{word}")));
        } else if let Some(rest) = lower.strip_prefix("non-").filter(|r| !r.is_empty()) {
            // "non-graviton" is "not graviton".
            raw.push(Token::new("not", "non"));
            raw.push(Token::new(rest, &word[4..]));
        } else if percent {
            raw.push(Token::new(format!("{lower}%"), format!("{word}%")));
        } else {
            split_word(word, &lower, &mut raw);
        }
        for t in &mut raw[first..] {
            t.quoted = in_quotes;
        }
        if let Some(t) = raw.get_mut(first) {
            t.clause_start = clause_start || sentence_start;
            t.sentence_start = sentence_start;
        }
        if asks && let Some(last) = raw.last_mut() {
            last.asks = true;
        }
        clause_start = ends_clause;
        sentence_start = ends_sentence;
    }
    // What people call instances is read as "instances", the word the specs use for them ("2
    // more servers", "I'd like 2 computers"), in examples and utterances alike.
    for t in &mut raw {
        if let Some(word) = lexicon::instance_word(&t.text) {
            t.text = word.into();
        }
    }
    canonical_phrases(spell_numbers(raw))
}

/// One word, split where a number meets its unit or counted noun ("8gb", "4cpu"), a range
/// ("2-6"), or a count and what it counts ("single-GPU").
fn split_word(word: &str, lower: &str, raw: &mut Vec<Token>) {
    {
        // "8gb", "32768MB": the number and its unit are two tokens.
        let split = lower.find(|c: char| !c.is_ascii_digit() && c != '.').filter(|&i| i > 0);
        // "2-6" is a range, read as "from 2 to 6".
        let range = lower.split_once(['-', '–']).filter(|(low, high)| is_number(low) && is_number(high));
        // "single-GPU", "4-core": a count and what it counts.
        let counted = lower
            .split_once('-')
            .filter(|(n, rest)| (is_number(n) || number_word(n).is_some()) && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphabetic()));
        match (split, range, counted) {
            (_, Some((low, high)), _) => {
                raw.extend([Token::new("from", "from"), Token::new(low, low), Token::new("to", "to"), Token::new(high, high)]);
            }
            (Some(i), _, _) if is_number(&lower[..i]) && MEMORY_UNITS.iter().any(|(u, _)| *u == &lower[i..]) => {
                raw.push(Token::new(&lower[..i], &word[..i]));
                raw.push(Token::new(&lower[i..], &word[i..]));
            }
            // "1x GPU": the count, without its multiplication sign.
            (Some(i), _, _) if is_number(&lower[..i]) && &lower[i..] == "x" => raw.push(Token::new(&lower[..i], &word[..i])),
            // "4cpu", "2gpus": a count and what it counts, as "4 cpu". Ordinals ("2nd") stay.
            (Some(i), _, _)
                if is_number(&lower[..i]) && lower[i..].bytes().all(|b| b.is_ascii_alphabetic()) && !["st", "nd", "rd", "th"].contains(&&lower[i..]) =>
            {
                raw.push(Token::new(&lower[..i], &word[..i]));
                raw.push(Token::new(canonical_spelling(&lower[i..]).unwrap_or(&lower[i..]), &word[i..]));
            }
            (_, _, Some((n, rest))) => raw.extend([Token::new(n, n), Token::new(rest, rest)]),
            // "sixty-four" is two number words; other hyphenated words ("web-server-lt",
            // "us-east-1a") stay whole, as names and ids must.
            _ if lower.contains('-') && lower.split('-').all(|p| number_word(p).is_some()) => {
                raw.extend(lower.split('-').zip(word.split('-')).map(|(l, o)| Token::new(l, o)));
            }
            _ => raw.push(Token::new(canonical_spelling(lower).unwrap_or(lower), word)),
        }
    }
}

fn canonical_phrases(words: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let rest = &words[at..];
        let starts = |said: &[&str]| rest.len() >= said.len() && said.iter().zip(rest).all(|(s, w)| *s == w.text);
        let negated = |out: &[Token]| {
            for t in out.iter().rev().take(lexicon::BOUND_NEGATION_REACH) {
                if lexicon::negates(&t.text) {
                    return true;
                }
                if t.clause_start {
                    break;
                }
            }
            false
        };
        let phrase = PHRASES.iter().find(|(said, _)| starts(said)).map(|(said, meant)| (said.len(), *meant));
        let below = BELOW.iter().find(|said| starts(said)).map(|said| (said.len(), ["at", "least"].as_slice()));
        let bound = below.or_else(|| ABOVE.iter().find(|said| starts(said)).map(|said| (said.len(), ["at", "most"].as_slice()))).filter(|_| negated(&out));
        // "2 to 6 instances" is a range as much as "from 2 to 6".
        let bare_range = is_number(&rest[0].text)
            && rest.get(1).is_some_and(|t| t.text == "to")
            && rest.get(2).is_some_and(|t| is_number(&t.text))
            && out.last().is_none_or(|t| t.text != "from");
        // "two and a half gigs"
        let and_a_half = rest.get(1..4).is_some_and(|w| w.iter().map(|t| t.text.as_str()).eq(["and", "a", "half"]));
        if and_a_half
            && is_number(&rest[0].text)
            && let Ok(n) = rest[0].text.parse::<f64>()
        {
            let half = (n + 0.5).to_string();
            out.push(Token { text: half.clone(), original: half, asks: rest[3].asks, ..rest[0].clone() });
            at += 4;
            continue;
        }
        if bare_range {
            out.push(Token { text: "from".into(), original: "from".into(), asks: false, ..rest[0].clone() });
            out.push(Token { clause_start: false, sentence_start: false, ..rest[0].clone() });
            at += 1;
            continue;
        }
        if phrase.is_none() && bound.is_some() && out.last().is_some_and(|t| lexicon::negates(&t.text) && !rest[0].clause_start) {
            // "no more than 8" is "at most 8"; a negation further back stays a word of the frame.
            out.pop();
        }
        match phrase.or(bound) {
            Some((len, meant)) => {
                out.extend(meant.iter().enumerate().map(|(i, m)| Token {
                    text: m.to_string(),
                    original: m.to_string(),
                    clause_start: i == 0 && rest[0].clause_start,
                    sentence_start: i == 0 && rest[0].sentence_start,
                    asks: i + 1 == meant.len() && rest[len - 1].asks,
                    quoted: rest[0].quoted,
                }));
                at += len;
            }
            None => {
                out.push(words[at].clone());
                at += 1;
            }
        }
    }
    bounds_first(out)
}

/// "10 instances at most, 4 at least" says what "at most 10 instances, at least 4" says: the
/// bound goes before the number it follows, where examples put it.
fn bounds_first(mut words: Vec<Token>) -> Vec<Token> {
    let bound = |w: &[Token], i: usize| w.get(i).is_some_and(|t| t.text == "at") && w.get(i + 1).is_some_and(|t| ["least", "most"].contains(&t.text.as_str()));
    let mut i = 1;
    while i + 1 < words.len() {
        let trailing = bound(&words, i) && !words.get(i + 2).is_some_and(|t| is_number(&t.text)) && !words[i].clause_start;
        // The number right before, or before one word ("10 instances at most"), that no bound
        // already precedes.
        let number = (1..=2).filter_map(|back| i.checked_sub(back)).find(|&n| is_number(&words[n].text));
        let number = number.filter(|&n| (n + 1..i).all(|w| !words[w].clause_start) && n.checked_sub(2).is_none_or(|b| !bound(&words, b)));
        match number {
            Some(n) if trailing => {
                let pair: Vec<Token> = words.drain(i..i + 2).collect();
                let clause_start = std::mem::replace(&mut words[n].clause_start, false);
                let sentence_start = std::mem::replace(&mut words[n].sentence_start, false);
                for (k, mut t) in pair.into_iter().enumerate() {
                    t.clause_start = k == 0 && clause_start;
                    t.sentence_start = k == 0 && sentence_start;
                    words.insert(n + k, t);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    words
}

fn spell_numbers(raw: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(raw.len());
    // A number being spelled: its value so far, its first word and its last.
    let mut pending: Option<(u32, Token, Token)> = None;
    let number = |(n, first, last): (u32, Token, Token)| Token { text: n.to_string(), original: n.to_string(), asks: last.asks, ..first };
    for (at, word) in raw.iter().enumerate() {
        let value = number_word(&word.text);
        match (value, pending.take()) {
            // "two hundred fifty-six", "one thousand and twenty four"
            (None, Some((p, first, _))) if (word.text == "hundred" && p < 100) || (word.text == "thousand" && p < 1000) => {
                pending = Some((p * if word.text == "hundred" { 100 } else { 1000 }, first, word.clone()));
            }
            // "one hundred and twenty eight": "and" inside a spelled number.
            (None, Some((p, first, last)))
                if word.text == "and" && p >= 100 && p % 100 == 0 && raw.get(at + 1).and_then(|w| number_word(&w.text)).is_some_and(|v| v < 100) =>
            {
                pending = Some((p, first, last));
            }
            (Some(v), Some((p, first, _))) if p >= 100 && p % 100 == 0 && v < 100 => pending = Some((p + v, first, word.clone())),
            (Some(v), Some((p, first, _))) if p >= 20 && p % 10 == 0 && v < 10 => pending = Some((p + v, first, word.clone())),
            (Some(v), p) => {
                out.extend(p.map(number));
                pending = Some((v, word.clone(), word.clone()));
            }
            (None, p) => {
                out.extend(p.map(number));
                out.push(word.clone());
            }
        }
    }
    out.extend(pending.map(number));
    out
}

/// A light stem so "instances" meets "instance" and "autoscaling" meets "autoscale".
pub fn stem(token: &str) -> String {
    let mut t = token;
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = t.strip_suffix(suffix).filter(|s| s.len() >= 3 && !s.ends_with('s')) {
            t = s;
            // "running" meets "run", "stopped" meets "stop".
            let b = t.as_bytes();
            if suffix.len() > 1 && b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] && !b"aeioulsz".contains(&b[b.len() - 1]) {
                t = &t[..t.len() - 1];
            }
            break;
        }
    }
    t.strip_suffix('e').filter(|s| s.len() >= 3).unwrap_or(t).to_string()
}

/// Words that say nothing about which intent is meant.
pub fn is_stopword(token: &str) -> bool {
    lexicon::is(&lexicon::STOPWORDS, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn numbers_and_units_are_normalized() {
        assert_eq!(texts("Three CPUs and 8GB"), ["3", "cpus", "and", "8", "gb"]);
        assert_eq!(texts("twenty four gigs, please!"), ["24", "gigs", "please"]);
        assert_eq!(texts("sixty-four gigabytes"), ["64", "gigabytes"]);
        assert_eq!(texts("two hundred fifty-six gigs"), ["256", "gigs"]);
        assert_eq!(texts("two and a half gigs"), ["2.5", "gigs"]);
        assert_eq!(texts("4cpu 2GPUs 3rd"), ["4", "cpu", "2", "gpus", "3rd"]);
        assert_eq!(texts("launch 10 instances at most and 4 at minimum"), ["launch", "at", "most", "10", "instances", "and", "at", "least", "4"]);
        assert_eq!(texts("at least 2, at most 5"), ["at", "least", "2", "at", "most", "5"]);
        assert_eq!(texts("one thousand twenty four MB"), ["1024", "mb"]);
        assert_eq!(texts("use m5.large. 0.25 GB"), ["use", "m5.large", "0.25", "gb"]);
        assert_eq!(texts("zones eu-west-1a, eu-west-1c"), ["zones", "eu-west-1a", "eu-west-1c"]);
        assert_eq!(texts("32768MB x86_64 cpu=8"), ["32768", "mb", "x86_64", "cpu", "8"]);
        assert_eq!(texts("half a gig of ram"), ["0.5", "gig", "of", "ram"]);
        assert_eq!(texts("half of one gigabyte, 1x GPU"), ["0.5", "gigabyte", "1", "gpu"]);
        assert_eq!(texts("single-GPU 4-core"), ["1", "gpu", "4", "core"]);
        assert_eq!(texts("from three until five servers"), ["from", "3", "to", "5", "instances"]);
        assert_eq!(texts("a single GPU"), ["a", "1", "gpu"]);
        assert_eq!(texts("auto-scaling on"), ["auto-scaling", "on"]);
        assert_eq!(texts("CPU over 80%, 4 cpus"), ["cpu", "over", "80%", "4", "cpus"]);
        assert_eq!(texts("Yeah, okay"), ["yes", "ok"]);
        assert_eq!(texts("asg 2-6"), ["asg", "from", "2", "to", "6"]);
        assert_eq!(texts("us-east-1a 2024-01-05"), ["us-east-1a", "2024-01-05"]);
        assert_eq!(texts("no fewer than 4, up to 9"), ["at", "least", "4", "at", "most", "9"]);
        assert_eq!(texts("never go under 2, don't let it grow beyond 8"), ["never", "go", "at", "least", "2", "don't", "let", "it", "grow", "at", "most", "8"]);
        assert_eq!(texts("more than 4 cpus, launch 2 to 6"), ["more", "than", "4", "cpus", "launch", "from", "2", "to", "6"]);
    }

    #[test]
    fn clauses_are_marked() {
        let starts: Vec<bool> = tokens("20 instances, eighteen months").iter().map(|t| t.clause_start).collect();
        assert_eq!(starts, [true, false, true, false]);
        let t = tokens("Use m5.large. Is it on? ok");
        let sentences: Vec<bool> = t.iter().map(|t| t.sentence_start).collect();
        assert_eq!(sentences, [true, false, true, false, false, true]);
        let asks: Vec<bool> = t.iter().map(|t| t.asks).collect();
        assert_eq!(asks, [false, false, false, false, true, false]);
    }

    #[test]
    fn quotes_are_marked() {
        let quoted = |s: &str| tokens(s).into_iter().map(|t| (t.text, t.quoted)).collect::<Vec<_>>();
        assert_eq!(
            quoted("the ticket says 'deploy to prod' ok"),
            [("the", false), ("ticket", false), ("says", false), ("deploy", true), ("to", true), ("prod", true), ("ok", false)]
                .map(|(a, b)| (a.to_string(), b))
        );
        assert!(quoted("he wrote \"tear it down\".").iter().filter(|(_, q)| *q).count() == 3);
        assert!(quoted("don't deploy, it's late").iter().all(|(_, q)| !q), "apostrophes inside words quote nothing");
    }

    #[test]
    fn numbers_as_people_write_them() {
        assert_eq!(texts("one hundred and twenty eight gb"), ["128", "gb"]);
        assert_eq!(texts("1e3 gb"), ["1000", "gb"]);
        assert_eq!(texts("template 1e9"), ["template", "1e9"], "a name is kept as typed");
        assert_eq!(texts("½ gb"), ["0.5", "gb"]);
        assert_eq!(texts("８ ＧＢ"), ["8", "gb"]);
        assert_eq!(texts("٤ cpus"), ["4", "cpus"]);
        assert_eq!(texts("1,5 GB ram"), ["1.5", "gb", "ram"]);
        assert_eq!(texts("16,384 MB"), ["16384", "mb"]);
        assert_eq!(texts("\u{1b}[31m4 cpus\u{1b}[0m"), ["4", "cpus"]);
        assert_eq!(texts("1e309 gb"), ["1e309", "gb"], "too large to write out: left for the reader to report");
    }

    #[test]
    fn free_text_keeps_its_spelling() {
        let t = tokens("template LT-Prod-2024");
        assert_eq!((t[1].text.as_str(), t[1].original.as_str()), ("lt-prod-2024", "LT-Prod-2024"));
    }

    #[test]
    fn number_shapes() {
        assert!(is_number("4") && is_number("0.25") && !is_number("4.") && !is_number("m5.large") && !is_number(".5"));
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("autoscaling"), stem("autoscale"));
        assert_eq!(stem("instances"), stem("instance"));
        assert_eq!(stem("cpus"), "cpu");
        assert_eq!(stem("running"), "run");
    }

    #[test]
    fn units_convert_to_gib() {
        assert_eq!(unit_factor("GiB", "mb"), Some(1.0 / 1024.0));
        assert_eq!(unit_factor("GiB", "tb"), Some(1024.0));
        assert_eq!(unit_factor("vCPU", "gb"), None);
    }
}
