//! Running the binary.

use std::process::{Command, Output};

/// The result of one `televent` run.
pub struct Run {
    pub status: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `televent ARGS` with `TELEVENT_DATABASE_URL=database` (when given).
pub fn televent(database: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_televent"));
    command.args(args).env_remove("TELEVENT_DATABASE_URL");
    if let Some(url) = database {
        command.env("TELEVENT_DATABASE_URL", url);
    }
    let Output { status, stdout, stderr } = command.output().unwrap();
    Run {
        status: status.success(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// Like [`televent`], asserting success.
pub fn ok(database: Option<&str>, args: &[&str]) -> String {
    let run = televent(database, args);
    assert!(run.status, "televent {args:?} failed: {}{}", run.stdout, run.stderr);
    run.stdout
}

/// Like [`televent`], asserting failure with one clear line on stderr, and returning it.
pub fn fails(database: Option<&str>, args: &[&str]) -> String {
    let run = televent(database, args);
    assert!(!run.status, "televent {args:?} should have failed: {}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {}", run.stderr);
    assert!(lines[0].starts_with("error: "), "{}", run.stderr);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
        "{}",
        run.stderr
    );
    lines[0].to_owned()
}
