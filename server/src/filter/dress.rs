//! Undresses addresses: rewrites the ways members spell `@`, `.`, `_` and `/` into the characters,
//! and closes the spaces around them, so that "kira dot sato at gmail dot com", "bram [at] example
//! [dot] net", "nell . rivers @ gmail . com" and "i n s t a" read as "kira.sato@gmail.com",
//! "bram@example.net", "nell.rivers@gmail.com" and "insta".
//!
//! A bare " at " is common English ("at the store"), so it becomes [`SOFT_AT`], which the email
//! recognizer accepts only with a real domain and a name-like local part. Bracketed and spelled-out
//! forms ("(at)", "at sign") are unambiguous and become `@`.
//!
//! Pure; produces a new [`View`] whose bytes keep pointing at the original text. Depends on
//! `normalize`, `tokens` and `words`; must not depend on the recognizers or the window.

use super::Analysis;
use super::normalize::View;
use super::tokens::{Class, Gap, Token};
use super::words::DRESSING;

/// `@` read from the plain word "at": maybe an address, maybe English.
pub(crate) const SOFT_AT: u8 = 0x03;

/// A literal `@` with spaces on both sides ("nell . rivers @ gmail . com"): closed up like a
/// dressing, and held to the same rules as [`SOFT_AT`] for the domain, since "me @ my sister's"
/// is English too.
pub(crate) const SPACED_AT: u8 = 0x04;

/// Shortest run of single letters read as one spaced-out word ("i n s t a").
pub(crate) const SPACED_RUN: usize = 3;

/// How an emitted unit treats the spaces around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joiner {
    /// Ordinary text: keeps its spaces.
    No,
    /// A literal `@ . _ /`: closes spaces only when spaced on both sides ("gmail . com").
    Literal,
    /// A spelled or bracketed form ("dot", "[at]"): always closes both sides.
    Dressed,
    /// "at sign": attaches to what follows only.
    Prefix,
}

#[derive(Debug, Clone, Copy)]
enum Content {
    /// Bytes of the base view.
    Base { start: usize, end: usize },
    /// One synthetic byte standing for the tokens it replaced, from base view offset `at`.
    Synthetic { byte: u8, at: usize },
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    content: Content,
    joiner: Joiner,
    gap: Gap,
    /// Units of one spaced-out word share a run id.
    run: Option<usize>,
}

/// Builds the undressed view.
pub(crate) fn undress(a: &Analysis<'_>) -> View {
    let units = units(a);
    let mut view = View {
        bytes: Vec::with_capacity(a.view.bytes.len()),
        origin: Vec::with_capacity(a.view.bytes.len()),
    };
    for (k, unit) in units.iter().enumerate() {
        if k > 0 && unit.gap != Gap::None && !closes_gap(&units, k) {
            // The whitespace points at the first byte of the unit; a match never starts or ends on it.
            let at = first_base_offset(unit);
            view.bytes
                .push(if unit.gap == Gap::Line { b'\n' } else { b' ' });
            view.origin.push(a.view.origin[at]);
        }
        match unit.content {
            Content::Base { start, .. }
                if unit.joiner == Joiner::Literal
                    && a.view.bytes[start] == b'@'
                    && unit.gap != Gap::None
                    && units.get(k + 1).is_some_and(|n| n.gap != Gap::None) =>
            {
                view.bytes.push(SPACED_AT);
                view.origin.push(a.view.origin[start]);
            }
            Content::Base { start, end } => {
                view.bytes.extend_from_slice(&a.view.bytes[start..end]);
                view.origin.extend_from_slice(&a.view.origin[start..end]);
            }
            Content::Synthetic { byte, at } => {
                view.bytes.push(byte);
                view.origin.push(a.view.origin[at]);
            }
        }
    }
    view
}

fn first_base_offset(unit: &Unit) -> usize {
    match unit.content {
        Content::Base { start, .. } => start,
        Content::Synthetic { at, .. } => at,
    }
}

/// Is the whitespace before unit `k` closed up?
fn closes_gap(units: &[Unit], k: usize) -> bool {
    let spaced_both = |j: usize| {
        units[j].gap != Gap::None && units.get(j + 1).is_some_and(|n| n.gap != Gap::None)
    };
    let (before, this) = (&units[k - 1], &units[k]);
    let same_run = before.run.is_some() && before.run == this.run;
    same_run
        || this.joiner == Joiner::Dressed
        || matches!(before.joiner, Joiner::Dressed | Joiner::Prefix)
        || (this.joiner == Joiner::Literal && spaced_both(k))
        || (before.joiner == Joiner::Literal && spaced_both(k - 1))
}

/// The dressing word at token `i`, if any: the byte it stands for.
fn dressing(a: &Analysis<'_>, i: usize) -> Option<u8> {
    let t = a.tokens.get(i)?;
    match (t.class, a.bytes(t)) {
        (Class::Word, b"at") => Some(b'@'),
        (Class::Word, b"dot") => Some(b'.'),
        (Class::Word, b"underscore") => Some(b'_'),
        (Class::Word, b"slash") => Some(b'/'),
        (Class::Punct(b @ (b'@' | b'.')), _) => Some(b),
        _ => None,
    }
}

fn closing(open: u8) -> Option<u8> {
    match open {
        b'[' => Some(b']'),
        b'(' => Some(b')'),
        b'{' => Some(b'}'),
        b'<' => Some(b'>'),
        _ => None,
    }
}

/// Reads the tokens as units to emit.
fn units(a: &Analysis<'_>) -> Vec<Unit> {
    let runs = spaced_runs(&a.tokens);
    let mut units = Vec::with_capacity(a.tokens.len());
    let mut i = 0;
    while i < a.tokens.len() {
        let t = a.tokens[i];
        let base = Content::Base {
            start: t.start,
            end: t.end,
        };
        let mut unit = Unit {
            content: base,
            joiner: Joiner::No,
            gap: t.gap,
            run: runs[i],
        };
        let mut consumed = 1;
        // "[at]", "(dot)", "{at}", "<at>", "(@)": unambiguous.
        let bracketed = t.punct().and_then(closing).and_then(|close| {
            let inner = dressing(a, i + 1)?;
            let end = a.tokens.get(i + 2)?;
            (end.punct() == Some(close)).then_some(inner)
        });
        if let Some(byte) = bracketed {
            unit.content = Content::Synthetic { byte, at: t.start };
            unit.joiner = Joiner::Dressed;
            consumed = 3;
        } else {
            // Only dressing words need their letters compared.
            let word = if a.lex[i].has(DRESSING) {
                a.bytes(&t)
            } else {
                b""
            };
            match (t.class, word) {
                (Class::Word, b"at") => {
                    let sign = a.tokens.get(i + 1).map(|n| a.bytes(n));
                    if matches!(sign, Some(b"sign" | b"symbol")) {
                        unit.content = Content::Synthetic {
                            byte: b'@',
                            at: t.start,
                        };
                        unit.joiner = Joiner::Prefix;
                        consumed = 2;
                    } else {
                        unit.content = Content::Synthetic {
                            byte: SOFT_AT,
                            at: t.start,
                        };
                        unit.joiner = Joiner::Dressed;
                    }
                }
                (Class::Word, b"dot" | b"underscore" | b"slash") => {
                    let byte = dressing(a, i).unwrap_or(b'.');
                    unit.content = Content::Synthetic { byte, at: t.start };
                    unit.joiner = Joiner::Dressed;
                }
                (Class::Word, b"dash" | b"hyphen") if between_alnum(&a.tokens, i) => {
                    unit.content = Content::Synthetic {
                        byte: b'-',
                        at: t.start,
                    };
                    unit.joiner = Joiner::Dressed;
                }
                (Class::Punct(b'@' | b'.' | b'_' | b'/'), _) => unit.joiner = Joiner::Literal,
                _ => {}
            }
        }
        units.push(unit);
        i += consumed;
    }
    units
}

fn between_alnum(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i - 1].is_alnum() && tokens.get(i + 1).is_some_and(Token::is_alnum)
}

/// Marks runs of three or more one-character tokens separated by single spaces: "i n s t a".
fn spaced_runs(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut runs = vec![None; tokens.len()];
    let single = |t: &Token| t.is_alnum() && t.len() == 1;
    let mut i = 0;
    while i < tokens.len() {
        if !single(&tokens[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() && single(&tokens[j]) && tokens[j].gap == Gap::Space {
            j += 1;
        }
        if j - i >= SPACED_RUN {
            runs[i..j].iter_mut().for_each(|r| *r = Some(i));
        }
        i = j;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::super::{Analysis, Lexicon};
    use super::*;

    fn undressed(text: &str) -> String {
        let lexicon = Lexicon::new();
        let a = Analysis::new(text, &lexicon, &[0]);
        let view = undress(&a);
        view.bytes
            .iter()
            .map(|&b| {
                if matches!(b, SOFT_AT | SPACED_AT) {
                    '~'
                } else {
                    b as char
                }
            })
            .collect()
    }

    #[test]
    fn dressings_become_characters() {
        let cases = [
            ("kira dot sato at gmail dot com", "kira.sato~gmail.com"),
            ("bram [at] example [dot] net", "bram@example.net"),
            ("penny{at}icloud{dot}com", "penny@icloud.com"),
            ("delphine (at) outlook (dot) com", "delphine@outlook.com"),
            ("nell . rivers @ gmail . com", "nell.rivers~gmail.com"),
            ("tomas underscore vega", "tomas_vega"),
            (
                "my ig is at sign marigold dot days",
                "my ig is @marigold.days",
            ),
            ("t . me / velvet_night", "t.me/velvet_night"),
            ("i n s t a: h a z e l . d", "insta: hazel.d"),
            ("so tired. going to bed", "so tired. going to bed"),
            ("me @ my sister's wedding", "me~my sister's wedding"),
        ];
        for (input, expected) in cases {
            assert_eq!(undressed(input), expected, "{input:?}");
        }
    }
}
