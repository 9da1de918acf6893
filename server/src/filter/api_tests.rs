//! Tests of the filter's API: spans, masks, kinds, sentences, names, pseudonyms, the window and the
//! allow-list configuration.

use super::*;

fn filter() -> Filter {
    Filter::new(FilterConfig::default())
}

fn check(text: &str) -> Verdict {
    filter().check(text, &Context::standalone(Millis(0)))
}

#[test]
fn clean_text_is_returned_unchanged() {
    let verdict = check("just listening tonight, 73 days today");
    assert!(verdict.is_clean());
    assert_eq!(verdict.masked, "just listening tonight, 73 days today");
    assert!(verdict.kinds().is_empty());
    assert_eq!(verdict.describe(), "");
}

#[test]
fn spans_point_into_the_original_text() {
    // Arrange: fullwidth digits take three bytes each.
    let text = "my number ４８０-５５５-０１２６ thanks";

    // Act
    let verdict = check(text);

    // Assert
    assert_eq!(verdict.matches.len(), 1);
    let m = &verdict.matches[0];
    assert_eq!(&text[m.span.clone()], "４８０-５５５-０１２６");
    assert_eq!(m.kind, ContactKind::Phone);
    assert!(!m.split);
    assert_eq!(verdict.masked, "my number [phone] thanks");
}

#[test]
fn every_kind_is_masked_with_its_placeholder() {
    let verdict = check("sam.jones@gmail.com, 312 555 0147, insta: rosie.f and wa.me/447700900123");
    assert_eq!(
        verdict.masked,
        "[email], [phone], insta: [handle] and [link]"
    );
    assert_eq!(
        verdict.kinds(),
        [
            ContactKind::Email,
            ContactKind::Phone,
            ContactKind::Handle,
            ContactKind::Link
        ]
    );
}

#[test]
fn describe_names_what_matched_in_a_sentence() {
    assert_eq!(
        check("call me 720.555.0192").describe(),
        "This looks like a phone number. This group keeps contact details out of the chat."
    );
    assert_eq!(
        check("720.555.0192 or sam.jones@gmail.com").describe(),
        "This looks like an email address and a phone number. This group keeps contact details out \
         of the chat."
    );
}

#[test]
fn kinds_serialize_in_snake_case() {
    let json = serde_json::to_string(&[ContactKind::Email, ContactKind::Link]).expect("serializes");
    assert_eq!(json, r#"["email","link"]"#);
}

#[test]
fn room_names_are_mentions_not_handles() {
    let filter = filter();
    let names = ["River_22", "Sage"];
    let ctx = Context {
        names: &names,
        recent: None,
        now: Millis(0),
    };
    assert!(
        filter
            .check("@River_22 what's your insta? mine is on my profile", &ctx)
            .is_clean()
    );
    assert!(filter.check("insta @river_22", &ctx).is_clean());
    assert!(!filter.check("insta @rosie_22", &ctx).is_clean());
}

#[test]
fn a_number_in_pieces_is_caught_at_the_message_that_completes_it() {
    // Arrange
    let filter = filter();
    let mut recent = RecentMessages::new();
    let pieces = ["my cell is 312", "555", "0147"];
    let mut verdicts = Vec::new();

    // Act
    for (i, text) in pieces.iter().enumerate() {
        let now = Millis(i64::try_from(i).unwrap_or(0) * 10_000);
        let verdict = filter.check(
            text,
            &Context {
                names: &[],
                recent: Some(&recent),
                now,
            },
        );
        recent.record(now, text, &verdict);
        verdicts.push(verdict);
    }

    // Assert
    assert!(verdicts[0].is_clean() && verdicts[1].is_clean());
    let last = &verdicts[2];
    assert_eq!(last.kinds(), [ContactKind::Phone]);
    assert!(last.matches[0].split);
    assert_eq!(last.masked, "[phone]");
}

#[test]
fn the_window_forgets_old_messages() {
    let filter = filter();
    let mut recent = RecentMessages::new();
    for (i, text) in ["my cell is 312", "555"].iter().enumerate() {
        let now = Millis(i64::try_from(i).unwrap_or(0) * 1_000);
        let verdict = filter.check(
            text,
            &Context {
                names: &[],
                recent: Some(&recent),
                now,
            },
        );
        recent.record(now, text, &verdict);
    }
    let late = Millis(WINDOW_MAX_AGE_MS + 5_000);
    assert!(
        filter
            .check(
                "0147",
                &Context {
                    names: &[],
                    recent: Some(&recent),
                    now: late
                }
            )
            .is_clean()
    );
    recent.clear();
    assert!(recent.is_empty());
}

#[test]
fn caught_pieces_are_not_counted_twice() {
    // The member is blocked on "0147"; the masked form is recorded, so "thanks" stays clean.
    let filter = filter();
    let mut recent = RecentMessages::new();
    for (i, text) in ["call me 312", "555", "0147", "thanks"].iter().enumerate() {
        let now = Millis(i64::try_from(i).unwrap_or(0) * 10_000);
        let verdict = filter.check(
            text,
            &Context {
                names: &[],
                recent: Some(&recent),
                now,
            },
        );
        assert_eq!(verdict.is_clean(), i != 2, "{text}");
        recent.record(now, text, &verdict);
    }
}

#[test]
fn explain_reports_rule_and_normalized_text() {
    let (verdict, explanations) = filter().explain(
        "call 919 five five five 01 six one",
        &Context::standalone(Millis(0)),
    );
    assert_eq!(verdict.masked, "call [phone]");
    assert_eq!(explanations[0].matched.rule, "phone-spelled");
    assert_eq!(
        explanations[0].normalized,
        "919 five five five 01 six one => 9195550161"
    );
}

#[test]
fn pseudonyms_are_held_to_a_stricter_standard() {
    let filter = filter();
    let ctx = Context::standalone(Millis(0));
    for name in [
        "River",
        "Sage 2024",
        "J.R.",
        "Quiet Fern",
        "Mr Blue",
        "Signal Fire",
        "x",
    ] {
        assert!(filter.check_pseudonym(name, &ctx).is_clean(), "{name}");
    }
    for (name, kind) in [
        ("Sam 555123", ContactKind::Phone),
        ("insta rosie", ContactKind::Handle),
        ("@rosie_f", ContactKind::Handle),
        ("rosehip.tea", ContactKind::Handle),
        ("sam@gmail.com", ContactKind::Email),
        ("brassmonkey#1024", ContactKind::Handle),
    ] {
        assert_eq!(filter.check_pseudonym(name, &ctx).kinds(), [kind], "{name}");
    }
}

#[test]
fn operators_can_extend_the_allow_list() {
    // Arrange
    let mut config = FilterConfig::default();
    config.help_lines.push("0800 123 4567".to_owned());
    config.help_domains.push("ourlocalline.example".to_owned());
    let custom = Filter::new(config);
    let ctx = Context::standalone(Millis(0));

    // Act / Assert
    assert!(!check("call 0800 123 4567").is_clean());
    assert!(custom.check("call 0800 123 4567", &ctx).is_clean());
    assert!(
        custom
            .check("https://ourlocalline.example/chat", &ctx)
            .is_clean()
    );
}

#[test]
fn filter_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Filter>();
    assert_send_sync::<RecentMessages>();
}
