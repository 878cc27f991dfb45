//! A throwaway PostgreSQL server for the whole test process, and a fresh database per test.
//!
//! With `TELEVENT_TEST_POSTGRES_URL` set (a URL whose user may `CREATE DATABASE`), that
//! server is used and each test's database is dropped afterwards. Otherwise the first test
//! that needs PostgreSQL creates a cluster in a temporary directory (`initdb`, as the
//! `postgres` OS user when running as root) and starts it on a free loopback port with
//! fsync off. A detached watchdog stops it and deletes the directory once this process has
//! gone, however it ended. The server listens on 127.0.0.1 only.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The server every test of this process uses.
#[derive(Debug)]
struct Server {
    /// A URL for administration (creating databases).
    admin_url: String,
    /// Whether the server belongs to someone else, so test databases must be dropped.
    external: bool,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// A fresh, empty database: its URL, and a guard to keep until the test ends.
pub async fn fresh_database() -> (String, Box<dyn std::any::Any + Send>) {
    let server = tokio::task::spawn_blocking(|| SERVER.get_or_init(start))
        .await
        .expect("starting PostgreSQL");
    let server = match server {
        Ok(server) => server,
        Err(problem) => panic!("no PostgreSQL server for the tests: {problem}"),
    };
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server.admin_url)
        .await
        .expect("connecting to the test PostgreSQL server");
    // The name is ours (t_ and hex digits): nothing to escape.
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("CREATE DATABASE");
    admin.close().await.ok();
    let url = with_database(&server.admin_url, &name);
    let guard: Box<dyn std::any::Any + Send> = if server.external {
        Box::new(DropDatabase {
            admin_url: server.admin_url.clone(),
            name,
        })
    } else {
        Box::new(())
    };
    (url, guard)
}

/// `url` with its database replaced by `name`, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(base, query)| (base, Some(query)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// Drops a test's database on someone else's server when the test ends.
struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with
        // its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&url).await.ok()?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::query(AssertSqlSafe(sql)).execute(&mut admin).await.ok()?;
                admin.close().await.ok()
            })
        });
        let _ = dropped.join();
    }
}

/// Finds or starts the server.
fn start() -> Result<Server, String> {
    if let Ok(url) = std::env::var("TELEVENT_TEST_POSTGRES_URL") {
        return Ok(Server {
            admin_url: url,
            external: true,
        });
    }
    let cluster = Cluster::create_with(false)?;
    let admin_url = cluster.admin_url();
    // The shared server lives as long as the process; the watchdog removes it after.
    std::mem::forget(cluster);
    Ok(Server {
        admin_url,
        external: false,
    })
}

/// A PostgreSQL cluster of one test's own, on a free loopback port, that the test may stop
/// and start again (a database restart under a running server). Stopped and deleted by the
/// watchdog once the test process has gone.
#[derive(Debug)]
pub struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    as_root: bool,
    port: u16,
    durable: bool,
}

impl Cluster {
    /// Creates a durable cluster (`initdb`; fsync and synchronous commit on, as in
    /// production, so a crash loses nothing committed) and starts it.
    pub fn create() -> Result<Self, String> {
        Self::create_with(true)
    }

    /// Creates a cluster and starts it; `durable: false` trades crash safety for speed (fsync,
    /// synchronous commit and full page writes off), for tests that never crash it.
    fn create_with(durable: bool) -> Result<Self, String> {
        let bin = binaries().ok_or_else(|| {
            "initdb and pg_ctl were found neither on PATH nor in /usr/lib/postgresql/*/bin; \
             install PostgreSQL server binaries: apt-get install postgresql (or set TELEVENT_TEST_POSTGRES_URL)"
                .to_owned()
        })?;
        let root = std::env::temp_dir().join(format!(
            "televent-pg-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let sockets = root.join("sockets");
        std::fs::create_dir_all(&sockets).map_err(|e| format!("creating {}: {e}", sockets.display()))?;
        let as_root = running_as_root();
        if as_root {
            run(
                Command::new("chown").arg("-R").arg("postgres:").arg(&root),
                "chown the cluster directory to postgres",
            )?;
        }
        watch(&root, &bin.join("pg_ctl"), as_root)?;
        let mut initdb = postgres_command(as_root, &bin.join("initdb"));
        initdb
            .args([
                "--no-sync",
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "-D",
            ])
            .arg(root.join("data"));
        run(&mut initdb, "initdb")?;
        let mut last_problem = String::new();
        for _ in 0..3 {
            let mut cluster = Self {
                root: root.clone(),
                bin: bin.clone(),
                as_root,
                port: free_port()?,
                durable,
            };
            match cluster.start() {
                Ok(()) => return Ok(cluster),
                // Most likely someone took the port between our probe and the start.
                Err(problem) => {
                    last_problem = problem;
                    cluster.port = 0;
                }
            }
        }
        Err(format!("{last_problem}; see {}", root.join("server.log").display()))
    }

    /// Starts the server (again), on the same port.
    pub fn start(&mut self) -> Result<(), String> {
        let speed = if self.durable {
            ""
        } else {
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        };
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {}{speed}",
            self.port,
            self.root.join("sockets").display()
        );
        let mut pg_ctl = postgres_command(self.as_root, &self.bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.root.join("data"))
            .arg("-l")
            .arg(self.root.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]);
        run(&mut pg_ctl, "pg_ctl start")
    }

    /// Stops the server at once (`-m immediate`: like a crash; connections are cut).
    pub fn stop(&mut self) -> Result<(), String> {
        let mut pg_ctl = postgres_command(self.as_root, &self.bin.join("pg_ctl"));
        pg_ctl
            .arg("-D")
            .arg(self.root.join("data"))
            .args(["-w", "-t", "60", "-m", "immediate", "stop"]);
        run(&mut pg_ctl, "pg_ctl stop")
    }

    /// A URL of the `postgres` database, for administration.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates a database and returns its URL.
    pub async fn database(&self, name: &str) -> String {
        let mut admin = PgConnection::connect(&self.admin_url())
            .await
            .expect("connecting to the test cluster");
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("CREATE DATABASE");
        admin.close().await.ok();
        with_database(&self.admin_url(), name)
    }
}

/// The directory holding `initdb` and `pg_ctl`: on PATH, else the newest
/// `/usr/lib/postgresql/<version>/bin`.
fn binaries() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|dir| has_both(dir)))
    {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| has_both(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `program`, run as the `postgres` OS user when we are root (initdb and postgres refuse
/// to run as root). In its own process group, so a Ctrl-C aimed at the tests does not reach
/// the server before the watchdog does its job.
fn postgres_command(as_root: bool, program: &Path) -> Command {
    use std::os::unix::process::CommandExt;

    let mut command = if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    command.process_group(0);
    command
}

/// Runs a command to completion; its output becomes the error.
fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Starts the watchdog: a detached shell that waits for this process to end, then stops
/// the server and deletes `root`.
fn watch(root: &Path, pg_ctl: &Path, as_root: bool) -> Result<(), String> {
    use std::os::unix::process::CommandExt;

    const SCRIPT: &str = r#"
        while kill -0 "$0" 2>/dev/null; do sleep 1; done
        if [ "$3" = root ]; then
            runuser -u postgres -- "$2" -D "$1/data" stop -m immediate
        else
            "$2" -D "$1/data" stop -m immediate
        fi
        rm -rf "$1"
    "#;
    Command::new("sh")
        .arg("-c")
        .arg(SCRIPT)
        .arg(std::process::id().to_string())
        .arg(root)
        .arg(pg_ctl)
        .arg(if as_root { "root" } else { "user" })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("starting the cleanup watchdog: {e}"))
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_urls() {
        assert_eq!(
            with_database("postgres://u@h:5/postgres", "t_1"),
            "postgres://u@h:5/t_1"
        );
        assert_eq!(with_database("postgres://u@h:5", "t_1"), "postgres://u@h:5/t_1");
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "t_1"),
            "postgresql://u:p@h/t_1?sslmode=disable"
        );
    }
}
