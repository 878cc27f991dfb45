//! The conversational Telegram bot, run by the real long-poll loop against the fake Bot API:
//! raw updates in, Bot API calls and store contents checked. Each test on a fresh store.

mod agenda;
mod cross_door;
mod delete;
mod devices;
mod edit;
mod export;
mod groups;
mod import;
mod invite;
mod location;
mod onboarding;
mod quick_add;
mod rig;
mod settings;
mod subscribe;
mod web;
