//! The schedule and safety modules, used only through their public API.

use hearth::domain::Millis;
use hearth::safety::{self, Resources};
use hearth::schedule::{PhaseConfig, Schedule, SchedulePhase};
use jiff::Timestamp;

#[test]
fn a_stored_schedule_gives_the_current_session_and_its_phase() {
    let json = r#"{"tz":"Europe/Berlin","weekly":[{"days":["tue"],"start":"19:00","minutes":90}]}"#;
    let schedule: Schedule = serde_json::from_str(json).unwrap();
    // 2026-03-31 19:05 in Berlin (summer time), as the room core receives it.
    let now = Millis(1_774_976_700_000);
    let session = schedule.current_or_next(Timestamp::from(now)).unwrap();
    let times = session.times(&PhaseConfig::default());
    assert_eq!(times.phase_at(now.into()), SchedulePhase::Live);
    let change = times.next_change(now.into()).unwrap();
    assert_eq!(change.to, SchedulePhase::Closing);
    assert_eq!(Millis::from(change.at), Millis(1_774_981_500_000));
}

#[test]
fn a_crisis_message_gives_a_signal_and_the_group_resources() {
    let signal = safety::detect("honestly i just want to die").unwrap();
    assert_eq!(signal.category, safety::CrisisCategory::Suicide);
    let resources = Resources::builtin();
    let us = resources.for_locale("en-US");
    assert!(
        us.lines
            .iter()
            .any(|line| line.contact.call.as_deref() == Some("988"))
    );
    assert_eq!(safety::detect("see you all next tuesday"), None);
}
