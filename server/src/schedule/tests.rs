use jiff::civil::{Weekday, date, time};
use proptest::prelude::*;

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn schedule(json: &str) -> Schedule {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn starts(sessions: &[Session]) -> Vec<String> {
    sessions.iter().map(|s| s.start.to_string()).collect()
}

fn spec_error(json: &str) -> ScheduleError {
    let spec: ScheduleSpec = serde_json::from_str(json).unwrap();
    Schedule::parse(&spec).unwrap_err()
}

#[test]
fn weekly_rule_on_several_days_yields_each_day_in_order() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["thu","tue","sat"],"start":"19:00","minutes":90}]}"#,
    );
    // 2026-06-01 is a Monday; summer time, so 19:00 local is 17:00 UTC.
    let sessions = s.next_sessions(ts("2026-06-01T08:00:00Z"), 4);
    assert_eq!(
        starts(&sessions),
        [
            "2026-06-02T17:00:00Z",
            "2026-06-04T17:00:00Z",
            "2026-06-06T17:00:00Z",
            "2026-06-09T17:00:00Z"
        ]
    );
    assert!(
        sessions
            .iter()
            .all(|s| s.duration() == SignedDuration::from_mins(90))
    );
    assert_eq!(sessions[0].local_date, date(2026, 6, 2));
    assert_eq!(sessions[0].local_start, time(19, 0, 0, 0));
    assert_eq!(sessions[0].kind, SessionKind::Weekly);
}

#[test]
fn one_off_sessions_are_listed_and_past_ones_are_not() {
    let s = schedule(
        r#"{"tz":"America/New_York","one_off":[
            {"date":"2026-12-24","start":"18:00","minutes":60},
            {"date":"2026-01-10","start":"10:00","minutes":60}]}"#,
    );
    let sessions = s.next_sessions(ts("2026-06-01T00:00:00Z"), 10);
    assert_eq!(starts(&sessions), ["2026-12-24T23:00:00Z"]);
    assert_eq!(sessions[0].kind, SessionKind::OneOff);
    assert_eq!(sessions[0].end, ts("2026-12-25T00:00:00Z"));
}

#[test]
fn weekly_and_one_off_sessions_merge_in_start_order() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin",
            "weekly":[{"days":["tue"],"start":"19:00","minutes":90},
                      {"days":["sat"],"start":"10:00","minutes":60}],
            "one_off":[{"date":"2026-06-04","start":"18:00","minutes":60}]}"#,
    );
    let sessions = s.next_sessions(ts("2026-06-01T00:00:00Z"), 5);
    assert_eq!(
        starts(&sessions),
        [
            "2026-06-02T17:00:00Z", // Tue
            "2026-06-04T16:00:00Z", // Thu, one-off
            "2026-06-06T08:00:00Z", // Sat
            "2026-06-09T17:00:00Z", // Tue
            "2026-06-13T08:00:00Z", // Sat
        ]
    );
}

#[test]
fn skipped_dates_drop_weekly_sessions_but_not_one_offs_on_the_same_date() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin",
            "weekly":[{"days":["tue"],"start":"19:00","minutes":90}],
            "one_off":[{"date":"2026-12-29","start":"17:00","minutes":60}],
            "skip":["2026-12-22","2026-12-29"]}"#,
    );
    let sessions = s.next_sessions(ts("2026-12-14T00:00:00Z"), 4);
    assert_eq!(
        starts(&sessions),
        [
            "2026-12-15T18:00:00Z",
            // 22nd skipped; on the 29th only the one-off at 17:00 local.
            "2026-12-29T16:00:00Z",
            "2027-01-05T18:00:00Z",
            "2027-01-12T18:00:00Z",
        ]
    );
    assert_eq!(sessions[1].kind, SessionKind::OneOff);
}

#[test]
fn a_weekly_rule_waits_for_its_first_date_and_stops_after_its_last() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["wed"],"start":"18:30","minutes":60,
            "from":"2026-06-10","until":"2026-06-24"}]}"#,
    );
    let sessions = s.next_sessions(ts("2026-01-01T00:00:00Z"), 10);
    assert_eq!(
        starts(&sessions),
        [
            "2026-06-10T16:30:00Z",
            "2026-06-17T16:30:00Z",
            "2026-06-24T16:30:00Z"
        ]
    );
    assert!(s.next_sessions(ts("2026-06-25T00:00:00Z"), 10).is_empty());
    assert_eq!(s.current_or_next(ts("2026-06-25T00:00:00Z")), None);
}

#[test]
fn a_berlin_evening_session_stays_at_19_local_across_both_clock_changes() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue","sun"],"start":"19:00","minutes":90}]}"#,
    );
    // Clocks go forward on Sunday 2026-03-29 at 02:00 (CET, UTC+1 → CEST, UTC+2).
    let spring = s.next_sessions(ts("2026-03-23T00:00:00Z"), 4);
    assert_eq!(
        starts(&spring),
        [
            "2026-03-24T18:00:00Z", // Tue, winter time
            "2026-03-29T17:00:00Z", // the changeover Sunday itself, summer time
            "2026-03-31T17:00:00Z",
            "2026-04-05T17:00:00Z",
        ]
    );
    // Clocks go back on Sunday 2026-10-25 at 03:00 (CEST → CET).
    let autumn = s.next_sessions(ts("2026-10-19T00:00:00Z"), 4);
    assert_eq!(
        starts(&autumn),
        [
            "2026-10-20T17:00:00Z",
            "2026-10-25T18:00:00Z",
            "2026-10-27T18:00:00Z",
            "2026-11-01T18:00:00Z",
        ]
    );
    for session in spring.iter().chain(&autumn) {
        assert_eq!(session.local_start, time(19, 0, 0, 0), "{session}");
        assert_eq!(
            s.time_zone().to_datetime(session.start).time(),
            time(19, 0, 0, 0)
        );
    }
}

#[test]
fn a_new_york_evening_session_stays_at_19_local_across_both_clock_changes() {
    let s = schedule(
        r#"{"tz":"America/New_York","weekly":[{"days":["sun"],"start":"19:00","minutes":60}]}"#,
    );
    // Clocks go forward on Sunday 2026-03-08 (EST, UTC-5 → EDT, UTC-4).
    assert_eq!(
        starts(&s.next_sessions(ts("2026-02-28T00:00:00Z"), 3)),
        [
            "2026-03-02T00:00:00Z",
            "2026-03-08T23:00:00Z",
            "2026-03-15T23:00:00Z"
        ]
    );
    // Clocks go back on Sunday 2026-11-01 (EDT → EST).
    assert_eq!(
        starts(&s.next_sessions(ts("2026-10-24T00:00:00Z"), 3)),
        [
            "2026-10-25T23:00:00Z",
            "2026-11-02T00:00:00Z",
            "2026-11-09T00:00:00Z"
        ]
    );
}

#[test]
fn a_start_time_in_the_spring_forward_gap_moves_forward_by_the_gap() {
    // 02:30 does not exist in Berlin on 2026-03-29 nor in New York on 2026-03-08.
    let berlin = schedule(
        r#"{"tz":"Europe/Berlin","one_off":[{"date":"2026-03-29","start":"02:30","minutes":60}]}"#,
    );
    let session = berlin.current_or_next(ts("2026-03-01T00:00:00Z")).unwrap();
    assert_eq!(session.start, ts("2026-03-29T01:30:00Z")); // 03:30 CEST
    assert_eq!(session.end, ts("2026-03-29T02:30:00Z"));
    assert_eq!(session.local_start, time(3, 30, 0, 0));
    assert_eq!(session.local_date, date(2026, 3, 29));

    let new_york = schedule(
        r#"{"tz":"America/New_York","weekly":[{"days":["sun"],"start":"02:30","minutes":60}]}"#,
    );
    assert_eq!(
        starts(&new_york.next_sessions(ts("2026-03-07T00:00:00Z"), 2)),
        ["2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z"]
    );
}

#[test]
fn a_start_time_that_happens_twice_in_the_fall_back_fold_means_the_first() {
    let berlin = schedule(
        r#"{"tz":"Europe/Berlin","one_off":[{"date":"2026-10-25","start":"02:30","minutes":60}]}"#,
    );
    let session = berlin.current_or_next(ts("2026-10-01T00:00:00Z")).unwrap();
    assert_eq!(session.start, ts("2026-10-25T00:30:00Z")); // 02:30 CEST, the first 02:30
    let new_york = schedule(
        r#"{"tz":"America/New_York","one_off":[{"date":"2026-11-01","start":"01:30","minutes":90}]}"#,
    );
    let session = new_york
        .current_or_next(ts("2026-10-01T00:00:00Z"))
        .unwrap();
    assert_eq!(session.start, ts("2026-11-01T05:30:00Z")); // 01:30 EDT
    // Lengths are real minutes: ends at 01:00 EST, after the clocks went back.
    assert_eq!(session.end, ts("2026-11-01T07:00:00Z"));
}

#[test]
fn a_session_in_progress_is_included_and_one_just_ended_is_not() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue"],"start":"19:00","minutes":90}]}"#,
    );
    let start = ts("2026-06-02T17:00:00Z");
    let end = ts("2026-06-02T18:30:00Z");
    for now in [
        start,
        ts("2026-06-02T18:00:00Z"),
        ts("2026-06-02T18:29:59.999Z"),
    ] {
        let current = s.current_or_next(now).unwrap();
        assert_eq!(current.start, start, "at {now}");
        assert!(current.contains(now));
    }
    let next = s.current_or_next(end).unwrap();
    assert_eq!(next.start, ts("2026-06-09T17:00:00Z"));
    assert!(!next.contains(end));
}

#[test]
fn a_session_that_started_yesterday_evening_is_still_current_after_midnight() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["fri"],"start":"23:00","minutes":180}]}"#,
    );
    // Saturday 01:30 local.
    let current = s.current_or_next(ts("2026-06-05T23:30:00Z")).unwrap();
    assert_eq!(current.local_date, date(2026, 6, 5));
    assert_eq!(current.start, ts("2026-06-05T21:00:00Z"));
    assert_eq!(current.end, ts("2026-06-06T00:00:00Z"));
}

#[test]
fn limits_are_respected_and_capped() {
    let s = schedule(
        r#"{"tz":"UTC","weekly":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"start":"12:00","minutes":60}]}"#,
    );
    let after = ts("2026-01-01T00:00:00Z");
    assert!(s.next_sessions(after, 0).is_empty());
    assert_eq!(s.next_sessions(after, 1).len(), 1);
    assert_eq!(s.next_sessions(after, 30).len(), 30);
    assert_eq!(
        s.next_sessions(after, usize::MAX).len(),
        MAX_SESSIONS_PER_CALL
    );
    let empty = schedule(r#"{"tz":"UTC"}"#);
    assert!(empty.next_sessions(after, 10).is_empty());
}

#[test]
fn invalid_schedules_are_refused_with_a_sentence_for_the_facilitator() {
    let cases = [
        (
            r#"{"tz":"Europe/Berln"}"#,
            "“Europe/Berln” is not a time zone we know. Please choose a place-based name such as \
             Europe/Berlin or America/New_York.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"25:00","minutes":90}]}"#,
            "“25:00” is not a start time. Please write it as HH:MM on a 24-hour clock, for example \
             19:00.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":["tues"],"start":"7pm","minutes":90}]}"#,
            "“7pm” is not a start time. Please write it as HH:MM on a 24-hour clock, for example \
             19:00.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"19:00","minutes":30}]}"#,
            "A session lasts between 45 minutes and 3 hours (180 minutes); 30 minutes is outside \
             that range.",
        ),
        (
            r#"{"tz":"UTC","one_off":[{"date":"2026-12-24","start":"18:00","minutes":181}]}"#,
            "A session lasts between 45 minutes and 3 hours (180 minutes); 181 minutes is outside \
             that range.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":[],"start":"19:00","minutes":90}]}"#,
            "A weekly session needs at least one day of the week.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":["tue","funday"],"start":"19:00","minutes":90}]}"#,
            "“funday” is not a day of the week. Please use mon, tue, wed, thu, fri, sat or sun.",
        ),
        (
            r#"{"tz":"UTC","skip":["2026-02-30"]}"#,
            "“2026-02-30” is not a date. Please write dates as YYYY-MM-DD, for example 2026-12-24.",
        ),
        (
            r#"{"tz":"UTC","one_off":[{"date":"24.12.2026","start":"18:00","minutes":60}]}"#,
            "“24.12.2026” is not a date. Please write dates as YYYY-MM-DD, for example 2026-12-24.",
        ),
        (
            r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"19:00","minutes":90,"from":"2026-06-01","until":"2026-05-01"}]}"#,
            "The weekly session ends on 2026-05-01, before it starts on 2026-06-01. Please check \
             the dates.",
        ),
    ];
    for (json, sentence) in cases {
        assert_eq!(spec_error(json).to_string(), sentence, "{json}");
        // Deserializing a `Schedule` directly validates too, with the same sentence inside.
        let err = serde_json::from_str::<Schedule>(json).unwrap_err();
        assert!(err.to_string().starts_with(sentence), "{err}");
    }
    assert!(serde_json::from_str::<ScheduleSpec>(r#"{"tz":"UTC","wekly":[]}"#).is_err());
}

#[test]
fn too_many_entries_are_refused() {
    let skips: Vec<String> = (0..=MAX_SKIPS)
        .map(|i| {
            date(2027, 1, 1)
                .saturating_add(i64::try_from(i).unwrap().days())
                .to_string()
        })
        .collect();
    let spec = ScheduleSpec {
        tz: "UTC".to_owned(),
        weekly: Vec::new(),
        one_off: Vec::new(),
        skip: skips,
    };
    assert_eq!(
        Schedule::parse(&spec).unwrap_err(),
        ScheduleError::TooMany {
            what: "skipped dates",
            max: MAX_SKIPS
        }
    );
}

#[test]
fn overlapping_sessions_are_refused_and_adjacent_ones_are_not() {
    let err = spec_error(
        r#"{"tz":"UTC","weekly":[{"days":["tue","thu"],"start":"19:00","minutes":90},
                                  {"days":["thu"],"start":"20:00","minutes":60}]}"#,
    );
    assert_eq!(
        err.to_string(),
        "The weekly session on Tuesdays and Thursdays at 19:00 overlaps the weekly session on \
         Thursdays at 20:00. A group meets one session at a time: please change one of the times, \
         or skip that date."
    );
    // Past midnight into the next day's session.
    assert!(matches!(
        spec_error(
            r#"{"tz":"UTC","weekly":[{"days":["fri"],"start":"23:00","minutes":180},
                                      {"days":["sat"],"start":"01:00","minutes":60}]}"#
        ),
        ScheduleError::Overlap { .. }
    ));
    assert!(matches!(
        spec_error(
            r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"19:00","minutes":90}],
                "one_off":[{"date":"2026-12-29","start":"20:00","minutes":60}]}"#
        ),
        ScheduleError::Overlap { .. }
    ));
    assert!(matches!(
        spec_error(
            r#"{"tz":"UTC","one_off":[{"date":"2026-12-24","start":"18:00","minutes":60},
                                       {"date":"2026-12-24","start":"18:59","minutes":60}]}"#
        ),
        ScheduleError::Overlap { .. }
    ));
    // Back to back is fine; so is a one-off on a skipped date; so is changing the time of a
    // weekly session from one date on.
    for json in [
        r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"18:00","minutes":60},
                                  {"days":["tue"],"start":"19:00","minutes":60}]}"#,
        r#"{"tz":"UTC","weekly":[{"days":["tue"],"start":"19:00","minutes":90}],
            "one_off":[{"date":"2026-12-29","start":"19:00","minutes":120}],
            "skip":["2026-12-29"]}"#,
        r#"{"tz":"UTC","weekly":[
            {"days":["tue"],"start":"19:00","minutes":90,"until":"2026-06-30"},
            {"days":["tue"],"start":"18:30","minutes":90,"from":"2026-07-01"}]}"#,
    ] {
        assert!(
            Schedule::parse(&serde_json::from_str(json).unwrap()).is_ok(),
            "{json}"
        );
    }
}

#[test]
fn the_schedule_json_round_trips_in_its_documented_shape() {
    let json = r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue"],"start":"19:00","minutes":90}],"one_off":[{"date":"2026-12-24","start":"18:00","minutes":60}],"skip":["2026-12-29"]}"#;
    let s: Schedule = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), json);
    let back: Schedule = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);

    // Input is forgiving (case, full day names, H:MM, missing lists); output is canonical.
    let loose = r#"{"tz":"europe/berlin","weekly":[{"days":["Thursday","TUE","tue"],"start":"9:05",
        "minutes":45,"from":"2026-01-06"}]}"#;
    let s: Schedule = serde_json::from_str(loose).unwrap();
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue","thu"],"start":"09:05","minutes":45,"from":"2026-01-06"}],"one_off":[],"skip":[]}"#
    );
}

#[test]
fn a_session_serializes_with_instants_and_local_display_fields() {
    let s = schedule(
        r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue"],"start":"19:00","minutes":90}]}"#,
    );
    let session = s.current_or_next(ts("2026-03-30T00:00:00Z")).unwrap();
    let json = serde_json::to_string(&session).unwrap();
    assert_eq!(
        json,
        r#"{"start":"2026-03-31T17:00:00Z","end":"2026-03-31T18:30:00Z","local_date":"2026-03-31","local_start":"19:00","kind":"weekly"}"#
    );
    assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), session);
}

#[test]
fn typed_constructors_build_the_same_schedule_as_json() {
    let rule = WeeklyRule::new(
        &[Weekday::Tuesday],
        time(19, 0, 0, 0),
        90,
        None,
        Some(date(2026, 12, 31)),
    )
    .unwrap();
    let one = OneOff::new(date(2026, 12, 24), time(18, 0, 0, 0), 60).unwrap();
    let s = Schedule::new("Europe/Berlin", vec![rule], vec![one], [date(2026, 12, 29)]).unwrap();
    assert_eq!(
        s,
        schedule(
            r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue"],"start":"19:00","minutes":90,"until":"2026-12-31"}],
                "one_off":[{"date":"2026-12-24","start":"18:00","minutes":60}],"skip":["2026-12-29"]}"#
        )
    );
    assert_eq!(s.tz_name(), "Europe/Berlin");
    assert_eq!(s.weekly()[0].days(), [Weekday::Tuesday]);
    assert_eq!(s.one_off()[0].minutes(), 60);
    assert!(s.skipped().contains(&date(2026, 12, 29)));
    assert_eq!(
        WeeklyRule::new(&[], time(19, 0, 0, 0), 90, None, None),
        Err(ScheduleError::NoDays)
    );
    assert_eq!(
        OneOff::new(date(2026, 1, 1), time(19, 0, 0, 0), 200),
        Err(ScheduleError::DurationOutOfRange { minutes: 200 })
    );
}

#[test]
fn millis_and_timestamps_convert_both_ways() {
    let t = ts("2026-03-31T17:00:00.123Z");
    let m = Millis::from(t);
    assert_eq!(m, Millis(1_774_976_400_123));
    assert_eq!(Timestamp::from(m), t);
    assert_eq!(Timestamp::from(Millis(i64::MAX)), Timestamp::MAX);
    assert_eq!(Timestamp::from(Millis(i64::MIN)), Timestamp::MIN);
}

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe", // half-hour DST shift
    "America/Santiago",    // DST changes at midnight
    "Asia/Kolkata",
    "Pacific/Apia", // skipped a whole day in 2011
    "UTC",
];

proptest! {
    #[test]
    fn next_sessions_of_one_weekly_rule_are_sorted_disjoint_full_length_and_not_over(
        zone in 0..ZONES.len(),
        day_mask in 1u8..128,
        hour in 0i8..24,
        minute in 0i8..60,
        minutes in MIN_SESSION_MINUTES..=MAX_SESSION_MINUTES,
        after_ms in 946_684_800_000i64..2_524_608_000_000, // 2000..2050
        limit in 1usize..60,
    ) {
        let days: Vec<Weekday> = (0..7)
            .filter(|i| day_mask & (1 << i) != 0)
            .map(|i| Weekday::from_monday_zero_offset(i).unwrap())
            .collect();
        let rule = WeeklyRule::new(&days, time(hour, minute, 0, 0), minutes, None, None).unwrap();
        let s = Schedule::new(ZONES[zone], vec![rule], Vec::new(), []).unwrap();
        let after = Timestamp::from(Millis(after_ms));
        let sessions = s.next_sessions(after, limit);
        prop_assert_eq!(sessions.len(), limit);
        for session in &sessions {
            prop_assert!(session.end > after, "{} ends before {}", session, after);
            prop_assert_eq!(session.duration(), SignedDuration::from_mins(i64::from(minutes)));
            prop_assert!(days.contains(&session.local_date.weekday()));
        }
        for pair in sessions.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start, "{} overlaps {}", pair[0], pair[1]);
            prop_assert!(pair[0].local_date < pair[1].local_date);
        }
        // Nothing skipped at the front: asking from just after the first session ends gives
        // the rest.
        let rest = s.next_sessions(sessions[0].end, limit - 1);
        prop_assert_eq!(&rest[..], &sessions[1..]);
    }
}
