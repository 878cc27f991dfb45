use televent_domain::calendar::{CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::event::Href;
use televent_ports::StoreError;
use televent_ports::store::Precondition;
use televent_tests::data::{now, timed, user, write};
use televent_tests::stores::TestStore;

pub async fn calendars_are_created_listed_patched_and_deleted(store: TestStore) {
    let (alice, default) = user(&*store, "alice").await;
    let (bob, _) = user(&*store, "bob").await;
    let slug = CalendarSlug::parse("work").unwrap();
    let mut new = NewCalendar::named(slug.clone(), "Work");
    new.color = Some("#FF0000FF".to_owned());
    let work = store.create_calendar(alice.id, new.clone(), now()).await.unwrap();
    assert_eq!(work.display_name, "Work");
    assert_eq!(work.color.as_deref(), Some("#FF0000FF"));
    assert!(matches!(
        store.create_calendar(alice.id, new.clone(), now()).await,
        Err(StoreError::AlreadyExists(_))
    ));
    // Another user may use the same slug.
    store.create_calendar(bob.id, new, now()).await.unwrap();

    let slugs: Vec<String> = store
        .calendars(alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.slug.to_string())
        .collect();
    assert_eq!(slugs, ["default", "work"]);
    assert_eq!(
        store.calendar(alice.id, &slug).await.unwrap().map(|c| c.id),
        Some(work.id)
    );
    assert_eq!(
        store.calendar_by_id(work.id).await.unwrap().map(|c| c.owner),
        Some(alice.id)
    );

    let patch = CalendarPatch {
        display_name: Some("Job".to_owned()),
        color: Some(None),
        description: Some(Some("Meetings".to_owned())),
        time_zone: None,
        order: Some(Some(3)),
    };
    let patched = store.update_calendar(work.id, patch, now()).await.unwrap();
    assert_eq!(
        (
            patched.display_name.as_str(),
            patched.color.clone(),
            patched.description.as_deref(),
            patched.order
        ),
        ("Job", None, Some("Meetings"), Some(3))
    );
    assert_eq!(store.calendar_by_id(work.id).await.unwrap(), Some(patched));

    store
        .put_object(write(
            &work,
            "a.ics",
            &timed("a", "20240101T100000Z", "A"),
            Precondition::None,
        ))
        .await
        .unwrap();
    store.delete_calendar(work.id).await.unwrap();
    assert_eq!(store.calendar_by_id(work.id).await.unwrap(), None);
    assert_eq!(
        store.object(work.id, &Href::parse("a.ics").unwrap()).await.unwrap(),
        None
    );
    assert_eq!(store.delete_calendar(work.id).await, Err(StoreError::NotFound));
    assert_eq!(store.calendars(alice.id).await.unwrap().len(), 1);
    assert_eq!(store.calendars(alice.id).await.unwrap()[0].id, default.id);
}
