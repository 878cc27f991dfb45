//! An .ics document sent to the bot in a private chat: downloaded (`getFile`, then the file
//! URL), imported into the default calendar one resource per UID, and answered with what was
//! added and what was refused and why.

use televent_domain::ingest::Rejection;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::Document;

use super::export::DEFAULT_CALENDAR;
use super::handler::{Ctx, TeleventBot};
use super::texts;

/// The largest file the bot imports.
pub(super) const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// How many refusals the answer lists one by one.
const MAX_LISTED: usize = 10;
/// How much of one refusal's reason the answer shows.
const MAX_REASON_CHARS: usize = 200;

impl TeleventBot {
    /// A document in a private chat: imported when it looks like iCalendar.
    pub(super) async fn import_document(&self, ctx: &Ctx, document: &Document) {
        if !looks_like_icalendar(document) {
            self.say(ctx.chat, texts::IMPORT_WHAT).await;
            return;
        }
        if usize::try_from(document.file.size).map_or(true, |size| size > MAX_IMPORT_BYTES) {
            self.say(ctx.chat, texts::import_too_big(MAX_IMPORT_BYTES)).await;
            return;
        }
        let Some(bytes) = self.download(document).await else {
            self.say(ctx.chat, texts::TRY_AGAIN).await;
            return;
        };
        if bytes.len() > MAX_IMPORT_BYTES {
            self.say(ctx.chat, texts::import_too_big(MAX_IMPORT_BYTES)).await;
            return;
        }
        let calendar = match self.engine.calendar(&ctx.user, DEFAULT_CALENDAR).await {
            Ok(calendar) => calendar,
            Err(error) => {
                tracing::warn!(%error, "bot: could not find the calendar to import into");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let report = match self
            .engine
            .import(&ctx.user, &calendar, &bytes, &mut |_done, _total| {})
            .await
        {
            Ok(report) => report,
            Err(error) => {
                tracing::warn!(%error, "bot: could not import a document");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let mut text = texts::imported(&calendar.display_name, report.created, report.updated);
        if !report.rejected.is_empty() {
            text.push_str(&format!("\n\nNot imported ({}):", report.rejected.len()));
            for rejection in report.rejected.iter().take(MAX_LISTED) {
                text.push_str("\n- ");
                text.push_str(&refusal(rejection));
            }
            if report.rejected.len() > MAX_LISTED {
                text.push_str(&format!("\n- and {} more", report.rejected.len() - MAX_LISTED));
            }
        }
        self.say(ctx.chat, text).await;
    }

    /// The document's bytes (`getFile`, then the download), `None` (logged) when that failed.
    async fn download(&self, document: &Document) -> Option<Vec<u8>> {
        let file = match self.bot.get_file(document.file.id.clone()).await {
            Ok(file) => file,
            Err(error) => {
                tracing::debug!(%error, "bot: getFile failed");
                return None;
            }
        };
        let mut bytes = Vec::with_capacity(usize::try_from(file.meta.size).unwrap_or(0));
        match self.bot.download_file(&file.path, &mut bytes).await {
            Ok(()) => Some(bytes),
            Err(error) => {
                tracing::debug!(%error, "bot: could not download a document");
                None
            }
        }
    }
}

/// An iCalendar file by its MIME type or its name's extension.
fn looks_like_icalendar(document: &Document) -> bool {
    let by_type = document
        .mime_type
        .as_ref()
        .is_some_and(|mime| mime.essence_str().eq_ignore_ascii_case("text/calendar"));
    let by_name = document.file_name.as_deref().is_some_and(|name| {
        let name = name.to_ascii_lowercase();
        [".ics", ".ical", ".icalendar", ".ifb"]
            .iter()
            .any(|extension| name.ends_with(extension))
    });
    by_type || by_name
}

/// One refused component: which one, where, and why (shortened).
fn refusal(rejection: &Rejection) -> String {
    let what = match (&rejection.uid, rejection.component.is_empty()) {
        (Some(uid), _) => format!("UID {uid}"),
        (None, false) => rejection.component.clone(),
        (None, true) => "a component".to_owned(),
    };
    let mut reason: String = rejection.reason.chars().take(MAX_REASON_CHARS).collect();
    if rejection.reason.chars().count() > MAX_REASON_CHARS {
        reason.push_str("...");
    }
    if rejection.line > 0 {
        format!("{what} (line {}): {reason}", rejection.line)
    } else {
        format!("{what}: {reason}")
    }
}
