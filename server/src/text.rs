//! Unicode helpers shared by the edge parsers (`domain`) and the contact filter.
//!
//! Pure functions over `char` and `&str`: no I/O, no allocation beyond the returned strings.
//! Must not depend on any other module of the crate.
//!
//! Two questions are answered here:
//! - which characters are *invisible* (format, bidi, zero-width, variation selectors, tags), so that
//!   they can be refused in names and stripped before matching;
//! - what a string *looks like* (`skeleton`), so that "River", "RIVER" and "Rіver" (Cyrillic і)
//!   compare equal.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// True for characters that render as nothing (or only steer the rendering of others):
/// zero-width spaces and joiners, bidi embeddings, overrides and isolates, the BOM, soft hyphen,
/// variation selectors, tag characters, invisible operators and fillers.
///
/// These let one string look like another, reorder a line, or split a word so a filter misses it.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                     // soft hyphen
        | '\u{034F}'                   // combining grapheme joiner
        | '\u{061C}'                   // arabic letter mark
        | '\u{115F}' | '\u{1160}'      // hangul fillers
        | '\u{17B4}' | '\u{17B5}'      // khmer inherent vowels
        | '\u{180B}'..='\u{180F}'      // mongolian free variation selectors, vowel separator
        | '\u{200B}'..='\u{200F}'      // zero-width space/non-joiner/joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}'      // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'      // word joiner, invisible operators, bidi isolates, deprecated
        | '\u{3164}'                   // hangul filler
        | '\u{FE00}'..='\u{FE0F}'      // variation selectors
        | '\u{FEFF}'                   // byte order mark / zero-width no-break space
        | '\u{FFA0}'                   // halfwidth hangul filler
        | '\u{FFF9}'..='\u{FFFB}'      // interlinear annotation
        | '\u{1BCA0}'..='\u{1BCA3}'    // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}'    // musical symbol format controls
        | '\u{E0000}'..='\u{E007F}'    // tags
        | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
    )
}

/// True for bidi controls specifically (a subset of [`is_invisible`]); named separately because
/// a refusal message can say "direction-changing character".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Maps one lower-case character that is commonly used as a lookalike of a Latin letter or digit
/// to that ASCII letter. Characters without a lookalike are returned unchanged.
///
/// The table covers the Cyrillic, Greek and Armenian letters that render like Latin ones in common
/// fonts, plus the digit/letter swaps `0→o` and `1→l`. It is deliberately small and auditable; the
/// full Unicode `confusables.txt` is large and mostly about scripts members would not mix.
pub fn latin_lookalike(c: char) -> char {
    match c {
        // Cyrillic
        'а' => 'a',
        'в' => 'b',
        'с' | 'ς' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'є' => 'e',
        'һ' => 'h',
        'і' | 'ї' | 'ι' | 'ɩ' => 'i',
        'ј' | 'ϳ' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' | '1' | '|' | 'ǀ' => 'l',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' | 'σ' | 'օ' | '0' | 'ᴏ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'г' => 'r',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ω' | 'ѡ' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' | 'ү' => 'y',
        'ᴢ' => 'z',
        // Greek letters that are not already above
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        other => other,
    }
}

/// Code points of the digit zero in the Unicode blocks whose digits run contiguously 0–9
/// (General_Category=Nd): Arabic-Indic, Extended Arabic-Indic, NKo, Devanagari, Bengali, Gurmukhi,
/// Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai, Lao, Tibetan, Myanmar, Khmer,
/// Mongolian, and the rest of the decimal-digit blocks, plus fullwidth, mathematical and
/// segmented digits.
///
/// NFKC folds only some of these (fullwidth, mathematical) to ASCII; the scripts' own digits have no
/// compatibility mapping, so a filter that relies on NFKC alone reads "٣١٢" as letters.
const DECIMAL_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value (0–9) of a decimal digit from any script, or `None` for anything else.
///
/// ```
/// use hearth::text::decimal_digit;
/// assert_eq!(decimal_digit('7'), Some(7));
/// assert_eq!(decimal_digit('٣'), Some(3)); // Arabic-Indic three
/// assert_eq!(decimal_digit('९'), Some(9)); // Devanagari nine
/// assert_eq!(decimal_digit('x'), None);
/// ```
pub fn decimal_digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let code = u32::from(c);
    // Every non-ASCII decimal block starts at or after U+0660: one comparison settles Latin text.
    if code < DECIMAL_ZEROS[0] {
        return None;
    }
    DECIMAL_ZEROS
        .iter()
        .rev()
        .find(|&&zero| zero <= code)
        .and_then(|&zero| u8::try_from(code - zero).ok())
        .filter(|&value| value < 10)
}

/// The visual identity of a string: NFKD, combining marks and invisible characters removed,
/// lower-cased, lookalikes folded to ASCII. Two names with the same skeleton are treated as the
/// same name in a room.
///
/// ```
/// use hearth::text::skeleton;
/// assert_eq!(skeleton("River"), skeleton("rіver")); // second one has a Cyrillic і
/// assert_eq!(skeleton("Zoë"), skeleton("zoe"));
/// ```
pub fn skeleton(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_invisible(c) || is_combining_mark(c) || c.is_whitespace() {
            continue;
        }
        for lower in c.to_lowercase() {
            out.push(latin_lookalike(lower));
        }
    }
    // "rn" reads as "m" in most sans-serif fonts: the classic impersonation trick.
    if out.contains("rn") {
        out = out.replace("rn", "m");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_folds_case_marks_and_lookalikes() {
        assert_eq!(skeleton("River"), "river");
        assert_eq!(skeleton("RIVER"), "river");
        assert_eq!(skeleton("Rіver"), "river"); // Cyrillic і
        assert_eq!(skeleton("R\u{200B}iver"), "river");
        assert_eq!(skeleton("Zoë"), "zoe");
        assert_eq!(skeleton("Mo0n"), "moon");
        assert_eq!(skeleton("Ｒｉｖｅｒ"), "river"); // fullwidth
        assert_eq!(skeleton("Sam Lee"), skeleton("samlee"));
        assert_eq!(skeleton("Kirn"), skeleton("kim"));
    }

    #[test]
    fn different_names_keep_different_skeletons() {
        assert_ne!(skeleton("River"), skeleton("Rover"));
        assert_ne!(skeleton("Ana"), skeleton("Anna"));
    }

    #[test]
    fn invisible_characters_are_recognised() {
        for c in [
            '\u{200B}',
            '\u{200D}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '中', '😀'] {
            assert!(!is_invisible(c), "{c:?}");
        }
        assert!(is_bidi_control('\u{202E}'));
        assert!(!is_bidi_control('\u{200B}'));
    }

    #[test]
    fn digits_of_other_scripts_have_their_value() {
        let cases = [
            ('٠', 0),
            ('٩', 9),
            ('۵', 5),
            ('०', 0),
            ('४', 4),
            ('৭', 7),
            ('๓', 3),
            ('５', 5),
            ('𝟖', 8),
            ('𝟶', 0),
        ];
        for (c, value) in cases {
            assert_eq!(decimal_digit(c), Some(value), "{c:?}");
        }
        for c in ['a', '¹', '①', 'Ⅳ', ' ', '٪'] {
            assert_eq!(decimal_digit(c), None, "{c:?}");
        }
    }
}
