//! Property tests of the contact filter: it never panics, spans are exact, masking touches only
//! the spans, and normalization is idempotent, for arbitrary Unicode and for text built from the
//! pieces the recognizers care about (digits, number words, at/dot dressings, platform names).

use proptest::prelude::*;

use super::{Context, Filter, FilterConfig, RecentMessages, Verdict, normalize};
use crate::domain::Millis;

/// Fragments that steer the recognizers into their less common paths.
const PIECES: &[&str] = &[
    "0", "1", "5", "55", "555", "0147", "+44", "(", ")", "-", ".", "/", "@", "#", "_", ":", ",",
    " ", " ", " ", "\n", "at", "dot", "[at]", "(dot)", "oh", "five", "double", "hundred", "fifty",
    "insta", "snap", "my", "is", "me", "add", "gmail", "com", "wa.me", "t.me/", "u/", "x",
    "\u{200B}", "٣", "５", "❺", "é", "😀", "'s", "O", "l", "$", "%", "2023", "12:30", "mg",
    "\u{2019}", "\u{2026}", "\u{2014}", "\u{FE0F}", "\u{20E3}", "\u{200D}", "\u{00A0}", "•", "👉",
];

fn filter() -> Filter {
    Filter::new(FilterConfig::default())
}

/// Text made of [`PIECES`].
fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
}

/// Checks the verdict's invariants against the text it was computed for.
fn assert_consistent(text: &str, verdict: &Verdict) -> Result<(), TestCaseError> {
    let mut rebuilt = String::new();
    let mut at = 0;
    for m in &verdict.matches {
        prop_assert!(m.span.start >= at, "matches overlap or are out of order");
        prop_assert!(m.span.start < m.span.end && m.span.end <= text.len());
        prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        rebuilt.push_str(&text[at..m.span.start]);
        rebuilt.push_str(m.kind.placeholder());
        at = m.span.end;
    }
    rebuilt.push_str(&text[at..]);
    // Everything outside the spans is byte-identical; each span became its placeholder.
    prop_assert_eq!(&verdict.masked, &rebuilt);
    prop_assert_eq!(verdict.is_clean(), verdict.masked == text);
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_unicode_never_panics_and_spans_are_exact(text in any::<String>()) {
        let filter = filter();
        let verdict = filter.check(&text, &Context::standalone(Millis(0)));
        assert_consistent(&text, &verdict)?;
        let name = filter.check_pseudonym(&text, &Context::standalone(Millis(0)));
        assert_consistent(&text, &name)?;
    }

    #[test]
    fn recognizer_pieces_never_panic_and_spans_are_exact(text in pieces()) {
        let verdict = filter().check(&text, &Context::standalone(Millis(0)));
        assert_consistent(&text, &verdict)?;
    }

    #[test]
    fn windowed_checks_keep_spans_in_the_current_message(messages in prop::collection::vec(pieces(), 1..8)) {
        let filter = filter();
        let mut recent = RecentMessages::new();
        for (i, text) in messages.iter().enumerate() {
            let now = Millis(i64::try_from(i).unwrap_or(0) * 5_000);
            let ctx = Context { names: &["River", "Sage"], recent: Some(&recent), now };
            let verdict = filter.check(text, &ctx);
            assert_consistent(text, &verdict)?;
            recent.record(now, text, &verdict);
        }
    }

    #[test]
    fn fast_path_never_skips_a_match(text in pieces()) {
        let filter = filter();
        let fast_clean = filter.quick_clean(&text);
        if fast_clean {
            prop_assert!(filter.detect(&text, &[], &[0]).is_empty(), "fast path skipped {:?}", text);
        }
    }

    #[test]
    fn normalization_is_idempotent(text in any::<String>()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn normalization_of_pieces_is_idempotent(text in pieces()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn very_long_inputs_never_panic(text in prop::collection::vec(pieces(), 50..200).prop_map(|v| v.concat())) {
        let long = text.repeat(4);
        let verdict = filter().check(&long, &Context::standalone(Millis(0)));
        assert_consistent(&long, &verdict)?;
    }
}
