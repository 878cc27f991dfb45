//! E-mail delivery over SMTP (mail-send).

pub mod smtp;
