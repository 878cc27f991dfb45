//! `televent`: the composition root. Parses the command line, wires adapters to ports, runs
//! one command, and turns any error into one clear line and a non-zero exit.

mod cli;
mod commands;
mod time_arg;
mod wiring;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's malloc: a busy server allocates per request from many threads,
/// and glibc's per-thread arenas both cost more per allocation and keep more memory (measured
/// in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line: `outer: inner: root`.
fn one_line(error: &anyhow::Error) -> String {
    error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ")
}
