//! One contract suite for the store ports, run against every adapter. Each case is an async
//! function taking a fresh store; `contract_suite!` instantiates all of them per backend.

mod access;
mod calendars;
mod objects;
mod outbox;
mod sync;
mod users;

/// Declares one `#[tokio::test]` per case for a backend constructor.
macro_rules! contract_suite {
    ($backend:ident => $make:path; $($module:ident :: $case:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let store = $make().await;
                    super::$module::$case(store).await;
                }
            )*
        }
    };
}

macro_rules! all_cases {
    ($backend:ident => $make:path) => {
        contract_suite!($backend => $make;
            users::users_get_a_default_calendar_and_preferences,
            users::names_and_telegram_ids_are_unique,
            users::devices_are_listed_revoked_and_touched,
            users::one_device_is_read_by_id_revoked_or_not,
            users::audit_entries_come_back_newest_first,
            users::linked_addresses_are_unique_and_found,
            calendars::calendars_are_created_listed_patched_and_deleted,
            objects::objects_are_created_read_updated_and_deleted,
            objects::preconditions_are_checked,
            objects::a_uid_lives_at_one_href,
            objects::concurrent_if_match_writers_have_exactly_one_winner,
            objects::a_failing_write_leaves_nothing,
            objects::time_range_candidates_cover_every_kind,
            sync::changes_since_a_token_are_exact,
            sync::bad_tokens_are_typed_errors,
            sync::a_limit_truncates_and_the_rest_follows,
            sync::pruned_tokens_are_too_old,
            outbox::a_write_enqueues_its_messages,
            outbox::claims_lease_and_complete,
            outbox::failures_back_off_then_dead_letter,
            outbox::a_message_is_read_by_id,
            outbox::messages_are_listed_by_owner_in_pages,
            access::tokens_are_found_by_kind_taken_once_and_expire,
            access::subscriptions_are_unique_replaced_and_go_with_their_calendar,
        );
    };
}

all_cases!(memory => televent_tests::stores::memory);
all_cases!(sqlite => televent_tests::stores::sqlite);
all_cases!(postgres => televent_tests::stores::postgres);
