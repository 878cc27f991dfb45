//! `televent` as a child process: killed if a test ends before stopping it, and `serve` started
//! on a free loopback port with its address read from the first line it prints.

use std::process::{Child, Command, ExitStatus, Stdio};

/// A child process, SIGKILLed if the test ends before stopping it.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Process {
    /// Sends a signal (`KILL`, `TERM`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Stops it with SIGTERM and waits for its exit.
    pub fn terminate(mut self) -> ExitStatus {
        self.signal("TERM");
        self.0.wait().unwrap()
    }
}

/// `televent serve --listen 127.0.0.1:0 ARGS` on `database` with `env`: the process and the
/// `HOST:PORT` it listens on.
pub fn serve(database: &str, args: &[&str], env: &[(&str, &str)]) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_televent"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env("TELEVENT_DATABASE_URL", database)
        .env("TELEVENT_LOG", "error")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    let address = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim_end_matches('/')
        .to_owned();
    (Process(child), address)
}
