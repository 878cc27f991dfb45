//! The worker over real stores (memory, SQLite, PostgreSQL), delivering to a fake Telegram Bot
//! API and a real SMTP server (aiosmtpd) on loopback, with a clock the test sets: invitations
//! by each channel, the RSVP round trip, cancellations, reminders across DST, digests in two
//! zones, and every failure path (outage, rate limit, refusal, dead letter, channel off).

mod digest;
mod failures;
mod invitations;
mod reminders;
mod rig;

/// Declares one `#[tokio::test]` per case for a store constructor.
macro_rules! worker_suite {
    ($backend:ident => $make:path; $($module:ident :: $case:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$module::$case($make().await).await;
                }
            )*
        }
    };
}

macro_rules! all_cases {
    ($backend:ident => $make:path) => {
        worker_suite!($backend => $make;
            invitations::telegram_invitation_and_rsvp_round_trip,
            invitations::an_answer_saved_through_caldav_reaches_the_organizer,
            invitations::rsvp_by_pressing_the_telegram_button,
            invitations::email_invitation_then_cancel,
            reminders::reminders_of_a_weekly_event_follow_dst,
            reminders::a_moved_event_is_not_reminded_at_the_old_time,
            digest::digests_go_at_local_time_in_two_zones,
            failures::telegram_outage_backs_off_then_recovers,
            failures::rate_limit_waits_as_told_without_counting_a_try,
            failures::smtp_refusals_retry_or_dead_letter,
            failures::without_a_channel_messages_wait_pending,
        );
    };
}

all_cases!(memory => televent_tests::stores::memory);
all_cases!(sqlite => televent_tests::stores::sqlite);
all_cases!(postgres => televent_tests::stores::postgres);
