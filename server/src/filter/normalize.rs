//! Character-level normalization: the first step of the contact filter.
//!
//! Turns what a member typed into what a reader sees: compatibility forms (fullwidth, mathematical,
//! circled, superscript) folded by NFKD, zero-width, bidi and other format characters and combining
//! marks removed, lower case, lookalike letters (Cyrillic, Greek) mapped to Latin, digits of every
//! script and the enclosed/keycap digits mapped to ASCII, and the many dashes, dots and quotes
//! mapped to their ASCII forms. Nothing here is contextual: word-level readings ("oh" as zero,
//! "at" as `@`) happen later, in `dress` and `phone`.
//!
//! Pure; depends on `crate::text` and `unicode-normalization` only.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::text;

/// A letter that is still not ASCII after folding (Chinese, Arabic, Cyrillic without a Latin
/// lookalike…): part of a word, never part of an address.
pub(crate) const OTHER_LETTER: u8 = 0x01;

/// A symbol that is not ASCII after folding (emoji, arrows…): separates words.
pub(crate) const OTHER_SYMBOL: u8 = 0x02;

/// The normalized text of a message, in the filter's canonical form.
///
/// Idempotent: `normalize(&normalize(s)) == normalize(s)`. The filter matches on an ASCII
/// projection of this form (see `View`); this function exists so the form can be inspected,
/// documented and property-tested.
///
/// ```
/// use hearth::filter::normalize;
/// assert_eq!(normalize("Ｃａｌｌ ４８０"), "call 480");
/// assert_eq!(normalize("3\u{200B}1\u{200B}7"), "317");
/// assert_eq!(normalize("٣١٢ ❺⑤"), "312 55");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

/// The ASCII projection of the normalized text, with the original byte offset of the character
/// that produced each byte, so that matches map back to exact spans of what the member typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct View {
    /// Folded bytes: lower-case ASCII, `\n`, [`OTHER_LETTER`], [`OTHER_SYMBOL`].
    pub(crate) bytes: Vec<u8>,
    /// For each byte, the byte offset in the original text of the character it came from.
    pub(crate) origin: Vec<u32>,
}

impl View {
    /// Builds the view of `text`. ASCII text (most chat) takes a copy-and-lowercase loop.
    pub(crate) fn new(text: &str) -> View {
        let mut view = View {
            bytes: Vec::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        if text.is_ascii() {
            view.bytes.extend(text.bytes().map(fold_ascii));
            view.origin.extend((0..text.len()).map(offset));
            return view;
        }
        for (i, c) in text.char_indices() {
            let at = offset(i);
            if c.is_ascii() {
                view.bytes.push(fold_ascii(c as u8));
                view.origin.push(at);
                continue;
            }
            fold_char(c, &mut |f| {
                view.bytes.push(project(f));
                view.origin.push(at);
            });
        }
        view
    }

    /// The byte range of `original` that produced view bytes `range` (non-empty): from the start
    /// of the first source character to the end of the last one, so always on char boundaries.
    pub(crate) fn source(&self, original: &str, range: Range<usize>) -> Range<usize> {
        let start = self.origin[range.start] as usize;
        let last = self.origin[range.end - 1] as usize;
        let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }

    /// The view bytes of `range` as text, for `--explain`: the soft and spaced at signs of `dress`
    /// (0x03, 0x04) show as `@`, other sentinels as `?`.
    pub(crate) fn text(&self, range: Range<usize>) -> String {
        self.bytes[range]
            .iter()
            .map(|&b| match b {
                0x03 | 0x04 => '@',
                b if b.is_ascii_graphic() || b == b' ' => b as char,
                _ => '?',
            })
            .collect()
    }
}

/// Messages are at most a few kilobytes (the edge enforces it); offsets beyond `u32` would only
/// come from a caller misusing the pure API, and saturating keeps that from panicking.
fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Lower-cases ASCII letters, keeps `\n` (a line break separates like a message boundary), turns
/// other control characters and tabs into spaces and the backtick into an apostrophe.
fn fold_ascii(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => b + 32,
        b'\n' => b'\n',
        b'`' => b'\'',
        0..=0x1f | 0x7f => b' ',
        _ => b,
    }
}

/// One folded character as a view byte.
fn project(c: char) -> u8 {
    if c.is_ascii() {
        c as u8
    } else if is_currency(c) {
        // "£1,200" and "€90" are money; the phone recognizer only needs to know "currency".
        b'$'
    } else if c.is_alphabetic() {
        OTHER_LETTER
    } else {
        OTHER_SYMBOL
    }
}

fn is_currency(c: char) -> bool {
    matches!(
        c,
        '£' | '€'
            | '¥'
            | '₹'
            | '₩'
            | '₽'
            | '₺'
            | '₱'
            | '₦'
            | '₪'
            | '₫'
            | '฿'
            | '₴'
            | '¢'
            | '₿'
    )
}

/// Characters that render as nothing or only modify the previous one.
fn is_ignorable(c: char) -> bool {
    text::is_invisible(c)
        || is_combining_mark(c)
        || matches!(
            c,
            '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
                | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
        )
}

/// ASCII forms of the punctuation members use in place of `-`, `.`, `'`, `"`, `/`.
fn fold_punct(c: char) -> Option<char> {
    Some(match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{2043}' => '-',
        '\u{00B7}' | '\u{2022}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}' | '\u{3002}'
        | '\u{FF61}' | '\u{2024}' | '\u{FE52}' | '\u{2E33}' => '.',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2044}' | '\u{2215}' | '\u{29F8}' => '/',
        '\u{2028}' | '\u{2029}' | '\u{0085}' => '\n',
        c if c.is_whitespace() => ' ',
        _ => return None,
    })
}

/// Enclosed numbers that NFKD leaves alone (dingbat and negative circled digits, double-circled
/// digits) with their value 0–20.
fn enclosed_number(c: char) -> Option<u32> {
    let code = u32::from(c);
    match code {
        0x2776..=0x277F => Some(code - 0x2776 + 1),  // ❶..❿
        0x2780..=0x2789 => Some(code - 0x2780 + 1),  // ➀..➉
        0x278A..=0x2793 => Some(code - 0x278A + 1),  // ➊..➓
        0x24EB..=0x24F4 => Some(code - 0x24EB + 11), // ⓫..⓴
        0x24F5..=0x24FE => Some(code - 0x24F5 + 1),  // ⓵..⓾
        0x24FF | 0x1F10B | 0x1F10C => Some(0),       // ⓿, 🄋, 🄌
        _ => None,
    }
}

/// Folds one character of input into zero or more characters of normalized text.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(fold_ascii(c as u8) as char);
        return;
    }
    if is_ignorable(c) {
        return;
    }
    if let Some(value) = enclosed_number(c) {
        value.to_string().chars().for_each(&mut *emit);
        return;
    }
    decompose_compatible(c, |d| fold_decomposed(d, emit));
}

/// Folds one character of a compatibility decomposition.
fn fold_decomposed(d: char, emit: &mut impl FnMut(char)) {
    if d.is_ascii() {
        emit(fold_ascii(d as u8) as char);
    } else if is_ignorable(d) {
    } else if let Some(p) = fold_punct(d) {
        emit(p);
    } else if let Some(value) = text::decimal_digit(d) {
        emit(char::from(b'0' + value));
    } else {
        for lower in d.to_lowercase() {
            if lower.is_ascii() {
                emit(lower);
            } else if !is_ignorable(lower) {
                // `latin_lookalike` also maps the ASCII `0`/`1` to letters (it serves names);
                // only non-ASCII characters reach it here, so digits stay digits.
                emit(text::latin_lookalike(lower));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_marks_and_scripts() {
        let cases = [
            ("Ｃａｌｌ ＭＥ", "call me"),
            ("𝟒𝟖𝟎 𝟓𝟓𝟓", "480 555"),
            ("①②③ ⑩", "123 10"),
            ("❶❷❸ ➊➋ ⓿", "123 12 0"),
            ("¹²³⁴", "1234"),
            ("٣١٢ ۵۵۵", "312 555"),
            ("९१९ ४", "919 4"),
            ("1\u{FE0F}\u{20E3}2\u{FE0F}\u{20E3}", "12"),
            ("a\u{200B}b\u{200D}c\u{2060}d\u{FEFF}e", "abcde"),
            ("\u{202E}moc\u{202C}", "moc"),
            ("yahоо", "yahoo"),
            ("Zoë", "zoe"),
            ("555–0147 — 555‐0148", "555-0147 - 555-0148"),
            ("name·gmail。com", "name.gmail.com"),
            ("it’s", "it's"),
            ("＠ｇｍａｉｌ", "@gmail"),
            ("a\u{00A0}b\tc", "a b c"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input:?}");
        }
    }

    #[test]
    fn view_maps_every_byte_back_to_its_source_character() {
        let text = "Ｔｅｌ ４８０ x";
        let view = View::new(text);
        assert_eq!(view.bytes, b"tel 480 x");
        let span = view.source(text, 4..7);
        assert_eq!(&text[span], "４８０");
    }

    #[test]
    fn view_projects_non_ascii_to_sentinels() {
        let view = View::new("жд £5 😀");
        assert_eq!(
            view.bytes,
            [
                OTHER_LETTER,
                OTHER_LETTER,
                b' ',
                b'$',
                b'5',
                b' ',
                OTHER_SYMBOL
            ]
        );
    }
}
