//! The utterance's words as the specs spell them: mistyped words read as the one spec word
//! they are a slip from, places read as region codes, compounds of spec words split.
use super::OfflineRouter;
use crate::router::text::{Token, tokens};

/// Words shorter than this are never corrected: too many short words are one slip apart.
const MIN_CORRECTED_LEN: usize = 6;
/// Shorter words are never corrected at all.
const MIN_SWAPPED_LEN: usize = 5;

impl OfflineRouter {
    /// The utterance's tokens, each mistyped word ("deplyo", "tempalte") read as the one word
    /// the specs use that it is a single slip (a letter wrong, missing, extra or two swapped)
    /// away from. A word with no such neighbour, or with several, is left as typed.
    pub(crate) fn words(&self, utterance: &str) -> Vec<Token> {
        // A compound just after a naming word is a name ("name the launch template
        // teardown-now", "tag it destroy-me"), kept whole.
        let raw = tokens(utterance);
        let named = |at: usize| raw[at.saturating_sub(3)..at].iter().any(|t| crate::router::lexicon::is(&crate::router::lexicon::NAMING, &t.text));
        let words: Vec<Token> = raw.iter().enumerate().flat_map(|(at, t)| if named(at) { vec![t.clone()] } else { self.split_compound(t.clone()) }).collect();
        let mut words = self.read_places(words);

        for w in &mut words {
            if w.text.len() < MIN_SWAPPED_LEN || !w.text.bytes().all(|b| b.is_ascii_lowercase()) || self.known.contains(&w.text) {
                continue;
            }
            // Below MIN_CORRECTED_LEN only two swapped letters or one left out count ("vpcus",
            // "lauch"): a letter wrong or extra turns too many short words into others.
            let slip = |k: &String| match w.text.len() >= MIN_CORRECTED_LEN {
                true => strsim::osa_distance(k, &w.text) == 1,
                false => strsim::osa_distance(k, &w.text) == 1 && (k.len() == w.text.len() + 1 || strsim::hamming(k, &w.text) == Ok(2)),
            };
            let mut near = self.known.iter().filter(|k| k.len().abs_diff(w.text.len()) <= 1 && slip(k));
            if let (Some(only), None) = (near.next(), near.next()) {
                w.text = only.clone();
            }
        }
        words
    }

    /// "in Frankfurt", "São Paulo": a place that names one region is read as the region's code,
    /// which every parameter that takes a region recognises by its shape.
    fn read_places(&self, words: Vec<Token>) -> Vec<Token> {
        let folded: Vec<String> = words.iter().map(|t| crate::catalog::regions::fold(&t.text)).collect();
        let mut out = Vec::with_capacity(words.len());
        let mut at = 0;
        while at < words.len() {
            let place = self.places.iter().find(|(p, _)| folded[at..].len() >= p.len() && p.iter().zip(&folded[at..]).all(|(a, b)| a == b));
            match place {
                Some((p, code)) => {
                    out.push(Token { text: code.clone(), original: code.clone(), asks: words[at + p.len() - 1].asks, ..words[at].clone() });
                    at += p.len();
                }
                None => {
                    out.push(words[at].clone());
                    at += 1;
                }
            }
        }
        out
    }

    /// "min-size", "instance_type", "desired-capacity": words the specs use, joined the way
    /// flags and keys join them, are read as those words. Names ("web-prod") stay whole.
    fn split_compound(&self, token: Token) -> Vec<Token> {
        let parts: Vec<&str> = token.text.split(['-', '_']).collect();
        if parts.len() < 2 || !parts.iter().all(|p| self.plain.contains(*p)) {
            return vec![token];
        }
        let originals: Vec<&str> = token.original.split(['-', '_']).collect();
        parts
            .iter()
            .zip(originals.iter().chain(std::iter::repeat(&"")))
            .enumerate()
            .map(|(i, (p, o))| Token {
                text: p.to_string(),
                original: o.to_string(),
                clause_start: i == 0 && token.clause_start,
                sentence_start: i == 0 && token.sentence_start,
                asks: i + 1 == parts.len() && token.asks,
                quoted: token.quoted,
            })
            .collect()
    }
}
