//! Turning what people type into tokens a router can match: lower case, numbers in digits,
//! units split from their numbers.

/// Numbers people spell out; compounds ("twenty four") are summed.
const NUMBER_WORDS: [(&str, u32); 28] = [
    ("zero", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6),
    ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
    ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16), ("seventeen", 17),
    ("eighteen", 18), ("nineteen", 19), ("twenty", 20), ("thirty", 30), ("forty", 40),
    ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80), ("ninety", 90),
];

/// Memory units relative to GiB, the only unit plugins declare today.
const MEMORY_UNITS: [(&str, f64); 16] = [
    ("gib", 1.0), ("gb", 1.0), ("g", 1.0), ("gig", 1.0), ("gigs", 1.0), ("gigabyte", 1.0), ("gigabytes", 1.0),
    ("mib", 1.0 / 1024.0), ("mb", 1.0 / 1024.0), ("megabyte", 1.0 / 1024.0), ("megabytes", 1.0 / 1024.0),
    ("tib", 1024.0), ("tb", 1024.0), ("terabyte", 1024.0), ("terabytes", 1024.0), ("t", 1024.0),
];

/// How many of `unit` one `word` is, if `word` is a unit of the same kind.
pub fn unit_factor(unit: &str, word: &str) -> Option<f64> {
    (unit.eq_ignore_ascii_case("GiB")).then_some(())?;
    MEMORY_UNITS.iter().find(|(w, _)| *w == word).map(|(_, f)| *f)
}

pub fn is_number(token: &str) -> bool {
    let mut parts = token.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && parts.next().is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut raw: Vec<String> = Vec::new();
    for word in lower.split(|c: char| c.is_whitespace() || ",;!?()\"'`:".contains(c)) {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if word.is_empty() {
            continue;
        }
        // "8gb", "32768MB": the number and its unit are two tokens.
        let split = word.find(|c: char| !c.is_ascii_digit() && c != '.').filter(|&i| i > 0);
        match split {
            Some(i) if is_number(&word[..i]) && MEMORY_UNITS.iter().any(|(u, _)| *u == &word[i..]) => {
                raw.push(word[..i].to_string());
                raw.push(word[i..].to_string());
            }
            _ => raw.push(word.to_string()),
        }
    }
    spell_numbers(raw)
}

fn spell_numbers(raw: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut pending: Option<u32> = None;
    for word in raw {
        let value = NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v);
        match (value, pending) {
            // "twenty four": a tens word followed by a unit word.
            (Some(v), Some(p)) if p >= 20 && p % 10 == 0 && v < 10 => pending = Some(p + v),
            (Some(v), Some(p)) => {
                out.push(p.to_string());
                pending = Some(v);
            }
            (Some(v), None) => pending = Some(v),
            (None, p) => {
                if let Some(p) = p {
                    out.push(p.to_string());
                }
                pending = None;
                out.push(word);
            }
        }
    }
    if let Some(p) = pending {
        out.push(p.to_string());
    }
    out
}

/// A crude stem so "instances" meets "instance" and "cpus" meets "cpu".
pub fn stem(token: &str) -> &str {
    match token.strip_suffix('s') {
        Some(s) if s.len() >= 3 && !s.ends_with('s') => s,
        _ => token,
    }
}

/// Words that say nothing about which intent is meant.
pub fn is_stopword(token: &str) -> bool {
    const STOP: [&str; 30] = [
        "a", "an", "the", "to", "and", "with", "of", "for", "me", "my", "i", "please", "can", "you",
        "it", "is", "be", "in", "on", "at", "this", "that", "we", "our", "would", "could", "should", "do", "some", "let",
    ];
    STOP.contains(&token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_units_are_normalized() {
        assert_eq!(tokens("Three CPUs and 8GB"), ["3", "cpus", "and", "8", "gb"]);
        assert_eq!(tokens("twenty four gigs, please!"), ["24", "gigs", "please"]);
        assert_eq!(tokens("use m5.large. 0.25 GB"), ["use", "m5.large", "0.25", "gb"]);
        assert_eq!(tokens("zones eu-west-1a, eu-west-1c"), ["zones", "eu-west-1a", "eu-west-1c"]);
        assert_eq!(tokens("32768MB x86_64"), ["32768", "mb", "x86_64"]);
    }

    #[test]
    fn number_shapes() {
        assert!(is_number("4") && is_number("0.25") && !is_number("4.") && !is_number("m5.large") && !is_number(".5"));
    }

    #[test]
    fn units_convert_to_gib() {
        assert_eq!(unit_factor("GiB", "mb"), Some(1.0 / 1024.0));
        assert_eq!(unit_factor("GiB", "tb"), Some(1024.0));
        assert_eq!(unit_factor("vCPU", "gb"), None);
    }
}
