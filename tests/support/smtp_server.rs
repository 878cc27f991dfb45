//! A real SMTP server on loopback for the mailer tests: `smtp_sink.py` (aiosmtpd) started as a
//! child process, which records every message it accepts, MIME parsed by Python's `email`
//! package, as one JSON line in a file.
//!
//! Python: `TELEVENT_TEST_PYTHON` if set (an interpreter that can `import aiosmtpd`), else a
//! venv that the first test creates at `<target>/test-venv-smtp` from
//! `requirements-smtp.txt` (`python3 -m venv`, then pip from PyPI) and later runs reuse until
//! that file changes. Threads of one process share one setup (a `OnceLock`); processes share
//! it through a lock file. Unix only (the venv's `bin/python`).
//!
//! The child is killed and reaped when its [`SmtpSink`] drops; it also exits by itself when
//! its standard input closes, so it cannot outlive a test process that was killed. Its
//! stdout and stderr are never inherited: an orphan holding the test harness's pipes open
//! would hang `cargo test`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How the sink behaves.
#[derive(Debug, Clone, Default)]
pub struct SinkOptions {
    /// Refuse this many messages first, then accept.
    pub refuse_first: u32,
    /// The reply code of a refusal (451 if `None`).
    pub refuse_code: Option<u16>,
    /// Refuse at `RCPT TO` rather than at the end of `DATA`.
    pub refuse_at_rcpt: bool,
    /// Require AUTH (PLAIN or LOGIN, over plain TCP) with this user and password.
    pub auth: Option<(String, String)>,
}

/// One leaf MIME part of a received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPart {
    /// `type/subtype`, lowercase.
    pub content_type: String,
    /// Content-Type parameters (`charset`, `method`), names lowercase.
    pub params: Vec<(String, String)>,
    /// The decoded body.
    pub body: String,
}

impl ReceivedPart {
    /// The value of a Content-Type parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`).
    pub rcpt_tos: Vec<String>,
    /// The top-level Content-Type, `type/subtype`.
    pub content_type: String,
    /// The leaf parts, in order.
    pub parts: Vec<ReceivedPart>,
    /// The message as sent.
    pub raw: String,
    /// The whole record, for what the fields above leave out (`headers.subject`, …).
    pub json: Value,
}

impl ReceivedMail {
    /// A top-level header as Python's `email` decoded it (`from`, `to`, `subject`, `date`,
    /// `message-id`, `mime-version`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.json["headers"][name.to_ascii_lowercase()].as_str()
    }

    /// The first part of this content type.
    pub fn part(&self, content_type: &str) -> Option<&ReceivedPart> {
        self.parts.iter().find(|p| p.content_type == content_type)
    }

    fn from_json(json: Value) -> ReceivedMail {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let params = |v: &Value| {
            v.as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), text(v))).collect())
                .unwrap_or_default()
        };
        let parts = json["parts"]
            .as_array()
            .map(|parts| {
                parts
                    .iter()
                    .map(|p| ReceivedPart {
                        content_type: text(&p["content_type"]),
                        params: params(&p["params"]),
                        body: text(&p["body"]),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ReceivedMail {
            mail_from: text(&json["mail_from"]),
            rcpt_tos: json["rcpt_tos"]
                .as_array()
                .map(|r| r.iter().map(text).collect())
                .unwrap_or_default(),
            content_type: text(&json["content_type"]),
            parts,
            raw: text(&json["raw"]),
            json,
        }
    }
}

/// A running sink; stopped when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    child: Child,
    /// Held open only so that the child sees end of file when it closes (see the module docs).
    stdin: Option<ChildStdin>,
    port: u16,
    out: PathBuf,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts a sink on a free loopback port. Panics, saying why, if Python with aiosmtpd
    /// cannot be had.
    pub async fn start(options: SinkOptions) -> SmtpSink {
        let python = tokio::task::spawn_blocking(|| PYTHON.get_or_init(find_python).clone())
            .await
            .expect("finding Python for the SMTP sink");
        let python = match python {
            Ok(python) => python,
            Err(problem) => panic!("no Python with aiosmtpd for the SMTP tests: {problem}"),
        };
        tokio::task::spawn_blocking(move || spawn(&python, &options))
            .await
            .expect("starting the SMTP sink")
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL for `SmtpConfig::parse`: plain SMTP (`tls=none`), with these credentials if any.
    pub fn url(&self, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((user, password)) => format!("smtp://{user}:{password}@127.0.0.1:{}?tls=none", self.port),
            None => format!("smtp://127.0.0.1:{}?tls=none", self.port),
        }
    }

    /// The messages received so far.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let Ok(text) = std::fs::read_to_string(&self.out) else {
            return Vec::new();
        };
        // A line is only complete (and written whole) once it ends with a newline.
        text.split_inclusive('\n')
            .filter(|line| line.ends_with('\n'))
            .map(|line| {
                let json = serde_json::from_str(line).unwrap_or_else(|e| panic!("sink wrote bad JSON ({e}): {line}"));
                ReceivedMail::from_json(json)
            })
            .collect()
    }

    /// Waits until at least `n` messages have arrived, polling, for at most `deadline`;
    /// panics with the sink's log if they have not.
    pub async fn wait_for_messages(&self, n: usize, deadline: Duration) -> Vec<ReceivedMail> {
        let until = Instant::now() + deadline;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() >= until {
                panic!(
                    "the SMTP sink got {} message(s), expected {n}, within {deadline:?}; its log:\n{}",
                    messages.len(),
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// What the sink wrote to stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stdin.take();
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn support_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("support")
}

fn spawn(python: &Path, options: &SinkOptions) -> SmtpSink {
    let dir = tempfile::tempdir().expect("a temporary directory for the SMTP sink");
    let out = dir.path().join("messages.jsonl");
    let stderr = dir.path().join("stderr.log");
    let mut command = Command::new(python);
    command
        .arg(support_dir().join("smtp_sink.py"))
        .arg("--out")
        .arg(&out)
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(File::create(&stderr).expect("the SMTP sink's log file"));
    if options.refuse_first > 0 {
        command
            .arg("--refuse-first")
            .arg(options.refuse_first.to_string())
            .arg("--refuse-code")
            .arg(options.refuse_code.unwrap_or(451).to_string())
            .arg("--refuse-at")
            .arg(if options.refuse_at_rcpt { "rcpt" } else { "data" });
    }
    if let Some((user, password)) = &options.auth {
        command.arg("--auth").arg(format!("{user}:{password}"));
    }
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", python.display()));
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().expect("the sink's stdout");
    // The port line, read on a thread so that a sink that hangs cannot hang the test.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        sender.send(read).ok();
    });
    let mut sink = SmtpSink {
        child,
        stdin,
        port: 0,
        out,
        stderr,
        _dir: dir,
    };
    let line = receiver.recv_timeout(Duration::from_secs(30));
    match line
        .as_ref()
        .ok()
        .and_then(|r| r.as_ref().ok())
        .and_then(|l| l.trim().parse().ok())
    {
        Some(port) => sink.port = port,
        None => {
            let log = sink.log();
            drop(sink);
            panic!("the SMTP sink did not report its port ({line:?}); its log:\n{log}");
        }
    }
    sink
}

/// `TELEVENT_TEST_PYTHON`, or the venv (created if need be).
fn find_python() -> Result<PathBuf, String> {
    if let Some(python) = std::env::var_os("TELEVENT_TEST_PYTHON") {
        let python = PathBuf::from(python);
        return has_aiosmtpd(&python).then_some(python.clone()).ok_or_else(|| {
            format!(
                "TELEVENT_TEST_PYTHON={} cannot import aiosmtpd (pip install -r {})",
                python.display(),
                support_dir().join("requirements-smtp.txt").display()
            )
        });
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    ensure_venv(&target.join("test-venv-smtp"))
}

fn has_aiosmtpd(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import aiosmtpd"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The venv's Python, after creating or updating the venv if the requirements changed.
fn ensure_venv(venv: &Path) -> Result<PathBuf, String> {
    let requirements_path = support_dir().join("requirements-smtp.txt");
    let requirements = std::fs::read_to_string(&requirements_path)
        .map_err(|e| format!("reading {}: {e}", requirements_path.display()))?;
    let python = venv.join("bin").join("python");
    let stamp = venv.join("televent-requirements.txt");
    let ready = || std::fs::read_to_string(&stamp).is_ok_and(|s| s == requirements) && has_aiosmtpd(&python);
    if ready() {
        return Ok(python);
    }
    let parent = venv.parent().unwrap_or(venv);
    std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    // Another test process may be building it: one at a time, and look again once in.
    let lock_path = parent.join("test-venv-smtp.lock");
    let lock = File::create(&lock_path).map_err(|e| format!("creating {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("locking {}: {e}", lock_path.display()))?;
    if ready() {
        return Ok(python);
    }
    if venv.exists() {
        std::fs::remove_dir_all(venv).map_err(|e| format!("removing the old {}: {e}", venv.display()))?;
    }
    run(
        Command::new("python3").arg("-m").arg("venv").arg(venv),
        "python3 -m venv (is python3 installed, with venv/ensurepip, e.g. Debian's python3-venv?)",
    )?;
    run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r"])
            .arg(&requirements_path),
        "pip install -r tests/support/requirements-smtp.txt (is PyPI reachable?)",
    )?;
    if !has_aiosmtpd(&python) {
        return Err(format!("{} still cannot import aiosmtpd", python.display()));
    }
    std::fs::write(&stamp, &requirements).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    Ok(python)
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what}: {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
