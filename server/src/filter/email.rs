//! Email addresses, plain or undressed: `local@domain.tld`, `local@provider` ("at gmail"), and the
//! same written backwards.
//!
//! Pure; works on the undressed view from `dress`. A literal (or bracketed) `@` needs any
//! alphabetic top-level domain; a soft " at " needs a known one or a known provider, and a local
//! part that is a name rather than English ("staring at the wine aisle" is not an address).
//! Depends on `dress`, `words` and `allow`; must not depend on the other recognizers or the window.

use super::allow::Allow;
use super::dress::{SOFT_AT, SPACED_AT};
use super::normalize::View;
use super::words::{EMAIL_CUE, FILE_EXTENSION, Lexicon, PROVIDER, TLD, is_plain_english};
use super::{Analysis, ContactKind, Found};

/// What the rest of the message says about a soft " at ".
struct Hints<'h> {
    /// The message mentions email ("email", "gmail"…).
    email_cue: bool,
    /// Was any dot in this view range spelled out ("dot", "[.]") rather than typed?
    dressed_dot: &'h dyn Fn(std::ops::Range<usize>) -> bool,
}

/// Characters of a local part (RFC 5322's common subset).
fn is_local(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-')
}

/// Finds email addresses in the undressed view `d` of `a`.
pub(crate) fn find(
    a: &Analysis<'_>,
    d: &View,
    lexicon: &Lexicon,
    allow: &Allow,
    out: &mut Vec<Found>,
) {
    let bytes = &d.bytes;
    let original = a.text.as_bytes();
    let dressed_dot = |range: std::ops::Range<usize>| {
        range
            .filter(|&i| bytes[i] == b'.')
            .any(|i| original.get(d.origin[i] as usize) != Some(&b'.'))
    };
    let hints = Hints {
        email_cue: a.lex.iter().any(|l| l.has(EMAIL_CUE)),
        dressed_dot: &dressed_dot,
    };
    for (p, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'@' | SOFT_AT | SPACED_AT) {
            continue;
        }
        if let Some((range, rule)) = address_at(bytes, p, lexicon, &hints) {
            // "jo@samaritans.org": help services answer by email too.
            let domain = std::str::from_utf8(&bytes[p + 1..range.end]).unwrap_or_default();
            if allow.is_help_domain(domain) {
                continue;
            }
            out.push(Found {
                kind: ContactKind::Email,
                span: d.source(a.text, range.clone()),
                rule,
                evidence: d.text(range),
            });
        }
    }
}

/// The address around the `@` at `p`, if there is one: its view range and the rule that fired.
fn address_at(
    bytes: &[u8],
    p: usize,
    lexicon: &Lexicon,
    hints: &Hints<'_>,
) -> Option<(std::ops::Range<usize>, &'static str)> {
    let soft = matches!(bytes[p], SOFT_AT | SPACED_AT);
    let mut start = p;
    while start > 0 && is_local(bytes[start - 1]) {
        start -= 1;
    }
    while start < p && matches!(bytes[start], b'.' | b'-' | b'+' | b'%') {
        start += 1;
    }
    let mut end = p + 1;
    while end < bytes.len() && is_domain(bytes[end]) {
        end += 1;
    }
    while end > p + 1 && matches!(bytes[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let local = &bytes[start..p];
    let domain = &bytes[p + 1..end];
    // "it's at gmail": an apostrophe before means the "local part" is the tail of a word.
    let after_apostrophe = start > 0 && bytes[start - 1] == b'\'';
    if local.is_empty()
        || domain.is_empty()
        || after_apostrophe
        || !local.iter().any(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    if !soft && is_reversed(local, lexicon) {
        // Backwards, the "domain" is the name and may hold any local-part character.
        let mut end = p + 1;
        while end < bytes.len() && is_local(bytes[end]) {
            end += 1;
        }
        return (end > p + 1).then_some((start..end, "email-reversed"));
    }
    if !soft && is_reversed(local, lexicon) {
        // Backwards, the "domain" is the name and may hold any local-part character.
        let mut end = p + 1;
        while end < bytes.len() && is_local(bytes[end]) {
            end += 1;
        }
        return (end > p + 1).then_some((start..end, "email-reversed"));
    }
    let labels: Vec<&[u8]> = domain.split(|&b| b == b'.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let tld = std::str::from_utf8(labels[labels.len() - 1]).ok()?;
    let provider = lexicon.get(labels[0]).has(PROVIDER);
    let alphabetic_tld =
        (2..=24).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_lowercase());
    let tld_lex = lexicon.get(tld.as_bytes());
    let file = tld_lex.has(FILE_EXTENSION);
    let rule = if soft {
        let known = labels.len() >= 2 && tld_lex.has(TLD);
        let domain_ok = known || (labels.len() == 1 && provider);
        let shaped = local
            .iter()
            .any(|b| matches!(b, b'.' | b'_') || b.is_ascii_digit());
        // A single plain word before " at " ("cheaper at walmart.com") is English unless the
        // domain is a mail provider, its dot was spelled out ("fergusbyrne dot ie"), the member
        // typed an actual `@`, or the message talks about email.
        let intent =
            provider || bytes[p] == SPACED_AT || hints.email_cue || (hints.dressed_dot)(p + 1..end);
        let name_like = shaped || (!is_plain_english(lexicon, local) && intent);
        (domain_ok && name_like).then_some(if known {
            "email-dressed"
        } else {
            "email-provider"
        })?
    } else if labels.len() >= 2 && alphabetic_tld && !file {
        "email"
    } else if labels.len() == 1 && provider {
        "email-provider"
    } else {
        return None;
    };
    Some((start..end, rule))
}

/// "moc.liamg@…" read backwards is "…@gmail.com": a local part that is a provider's domain
/// reversed.
fn is_reversed(local: &[u8], lexicon: &Lexicon) -> bool {
    let reversed: Vec<u8> = local.iter().rev().copied().collect();
    let labels: Vec<&[u8]> = reversed.split(|&b| b == b'.').collect();
    let tld = std::str::from_utf8(labels[labels.len() - 1]).unwrap_or_default();
    labels.len() >= 2
        && lexicon.get(labels[0]).has(PROVIDER)
        && lexicon.get(tld.as_bytes()).has(TLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Option<(String, &'static str)> {
        let lexicon = Lexicon::new();
        let bytes: Vec<u8> = text
            .bytes()
            .map(|b| if b == b'~' { SOFT_AT } else { b })
            .collect();
        let p = bytes.iter().position(|&b| b == b'@' || b == SOFT_AT)?;
        let hints = Hints {
            email_cue: false,
            dressed_dot: &|_| true,
        };
        address_at(&bytes, p, &lexicon, &hints).map(|(r, rule)| (text[r].to_owned(), rule))
    }

    #[test]
    fn literal_at_needs_an_alphabetic_tld() {
        assert_eq!(
            address("mail june.abara@hotmail.com now"),
            Some(("june.abara@hotmail.com".to_owned(), "email"))
        );
        assert_eq!(
            address("moc.liamg@zitro.lebam").map(|(_, r)| r),
            Some("email-reversed")
        );
        assert_eq!(
            address("x name@gmail"),
            Some(("name@gmail".to_owned(), "email-provider"))
        );
        assert_eq!(address("me@my sister's"), None);
        assert_eq!(address("icon@2x.png"), None);
        assert_eq!(address("see you@6"), None);
    }

    #[test]
    fn soft_at_needs_a_name_and_a_known_domain() {
        assert!(address("fergus~fergusbyrne.ie").is_some());
        assert!(address("marigold.vance~gmail").is_some());
        assert!(address("staring~the wine").is_none());
        assert!(address("working~amazon.com").is_none());
        assert!(address("it's~gmail.com").is_none());
        assert!(address("me~hotmail.com").is_none());
    }
}
