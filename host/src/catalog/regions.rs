//! Region names as the AWS console shows them ("Europe (Frankfurt)"), from botocore's endpoint
//! data (`data/regions.csv`, see data/SOURCE.md), and the places people call regions by.
use std::collections::HashMap;
use std::sync::LazyLock;

pub const BUNDLED_REGIONS: &str = include_str!("../../../data/regions.csv");

/// (region code, display name), in code order.
pub fn names() -> &'static [(String, String)] {
    static NAMES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        BUNDLED_REGIONS
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(','))
            .map(|(code, name)| (code.to_string(), name.trim_matches('"').to_string()))
            .collect()
    });
    &NAMES
}

/// The region `text` names: a code botocore knows, or a place that names one region
/// ("Frankfurt", "São Paulo").
pub fn code_of(text: &str) -> Option<String> {
    if names().iter().any(|(code, _)| code == text) {
        return Some(text.to_string());
    }
    let words: Vec<String> = text.split([' ', '.', '-']).filter(|w| w.len() > 1).map(fold).collect();
    places().iter().find(|(place, _)| *place == words).map(|(_, code)| code.clone())
}

/// The display name of `region`, if botocore knows it.
pub fn name_of(region: &str) -> Option<&'static str> {
    names().iter().find(|(code, _)| code == region).map(|(_, name)| name.as_str())
}

/// Places that name exactly one region, as lower-case ASCII words: the place in parentheses
/// ("Frankfurt", "N. Virginia" → "virginia", "Sao Paulo") and the part before them when no other
/// region shares it ("Africa", "Israel", but not "Europe" or "US East").
pub fn places() -> &'static [(Vec<String>, String)] {
    static PLACES: LazyLock<Vec<(Vec<String>, String)>> = LazyLock::new(|| {
        let mut owners: HashMap<Vec<String>, Vec<&str>> = HashMap::new();
        for (code, name) in names() {
            let (before, inside) = name.split_once('(').map_or((name.as_str(), ""), |(b, i)| (b, i.trim_end_matches(')')));
            for phrase in [before, inside] {
                // "N." and other abbreviations are dropped: people write "Virginia".
                let words: Vec<String> = phrase.split([' ', '.', '-']).filter(|w| w.len() > 1).map(fold).collect();
                if !words.is_empty() {
                    owners.entry(words).or_default().push(code);
                }
            }
        }
        let mut places: Vec<(Vec<String>, String)> =
            owners.into_iter().filter(|(_, codes)| codes.len() == 1).map(|(words, codes)| (words, codes[0].to_string())).collect();
        // Longest first, so "Hong Kong" is matched before any one-word place.
        places.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        places
    });
    &PLACES
}

/// Lower case without accents: "São" → "sao".
pub fn fold(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(char::is_ascii).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_one_region_each() {
        let find = |words: &[&str]| places().iter().find(|(w, _)| w == words).map(|(_, code)| code.as_str());
        assert_eq!(find(&["frankfurt"]), Some("eu-central-1"));
        assert_eq!(find(&["virginia"]), Some("us-east-1"));
        assert_eq!(find(&["sao", "paulo"]), Some("sa-east-1"));
        assert_eq!(find(&["ireland"]), Some("eu-west-1"));
        assert_eq!(find(&["europe"]), None, "several regions are in Europe");
        assert_eq!(find(&["central"]), None, "Canada (Central) and Mexico (Central)");
        assert_eq!(name_of("ap-northeast-1"), Some("Asia Pacific (Tokyo)"));
    }
}
