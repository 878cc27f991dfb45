//! The ports: async traits the Televent core needs from the outside world.
//!
//! **API boundary.** Adapters implement these; the app layer uses only these. Every trait is
//! object-safe and is injected as `Arc<dyn Trait>`. With the `mocks` feature each trait has a
//! mockall mock (`MockUserStore`, ...).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod credentials;
pub mod error;
pub mod mailer;
pub mod notifier;
pub mod outbox;
pub mod store;

pub use clock::Clock;
pub use credentials::PasswordHasher;
pub use error::StoreError;
pub use mailer::{Mail, Mailer, MailerError};
pub use notifier::{Notifier, NotifierError};
pub use outbox::{Outbox, OutboxCounts};
pub use store::{
    AccessStore, AuditLog, CalendarStore, DeleteObject, DeviceStore, NewUser, ObjectWrite, Precondition, Store,
    UserStore, WriteOutcome,
};
