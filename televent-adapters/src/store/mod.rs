//! Storage adapters. Each implements every store port and the outbox, and passes the one
//! contract suite in `tests/it/store_contract`.

pub mod memory;

pub use memory::MemoryStore;
