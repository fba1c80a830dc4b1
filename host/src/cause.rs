//! What an error chain says at its root. Transport errors wrap their reason in layers of
//! context ("error sending request", "client error (Connect)"); the innermost cause is what a
//! person needs ("Connection refused").

pub fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
