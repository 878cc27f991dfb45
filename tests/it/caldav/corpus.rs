//! Every file of the shared iCalendar corpus through PUT: what the domain accepts answers 201
//! and GET returns the bytes unchanged; what it refuses gets a 4xx naming the same
//! precondition; nothing ever gets a 5xx.

use televent_domain::calendar::{CalendarSlug, NewCalendar};
use televent_domain::ingest::{IngestErrorKind, ingest_resource};
use televent_tests::corpus::{corpus_dir, corpus_files};
use televent_tests::server::TestServer;

#[tokio::test]
async fn every_corpus_file_through_put() {
    let server = TestServer::spawn().await;
    let (mut stored, mut refused) = (0, 0);
    for (index, file) in corpus_files().iter().enumerate() {
        let bytes = std::fs::read(corpus_dir().join(file)).unwrap();
        // One calendar per file: corpus files may share UIDs.
        let slug = format!("c{index}");
        server
            .engine
            .create_calendar(
                &server.user,
                NewCalendar::named(CalendarSlug::parse(&slug).unwrap(), &slug),
            )
            .await
            .unwrap();
        let path = format!("/dav/calendars/alice/{slug}/item.ics");
        let response = server
            .request("PUT", &path)
            .header("content-type", "text/calendar")
            .body(bytes.clone())
            .send()
            .await;
        assert!(
            !response.status.is_server_error(),
            "{file}: {} {}",
            response.status,
            response.text()
        );
        match ingest_resource(&bytes) {
            Ok(_) => {
                assert_eq!(response.status, 201, "{file}: {}", response.text());
                let get = server.request("GET", &path).send().await;
                assert_eq!(get.body, bytes, "{file}: GET must return the bytes as sent");
                assert_eq!(get.header("etag"), response.header("etag"), "{file}");
                stored += 1;
            }
            Err(error) => {
                let local = match error.kind {
                    IngestErrorKind::InvalidData => "valid-calendar-data",
                    IngestErrorKind::InvalidObject => "valid-calendar-object-resource",
                    IngestErrorKind::UnsupportedComponent => "supported-calendar-component",
                };
                assert!(response.status.is_client_error(), "{file}: {}", response.status);
                assert_eq!(
                    response.precondition(),
                    format!("{{urn:ietf:params:xml:ns:caldav}}{local}"),
                    "{file}"
                );
                assert_eq!(
                    server.request("GET", &path).send().await.status,
                    404,
                    "{file}: a refused PUT stored something"
                );
                refused += 1;
            }
        }
    }
    assert!(
        stored > 50 && refused > 5,
        "stored {stored}, refused {refused}: the corpus looks wrong"
    );
}
