//! A throwaway PostgreSQL cluster for the tests, made with the system's `initdb`/`pg_ctl` on a free loopback
//! port, fsync off, removed when dropped. As root it runs as the `postgres` user (initdb refuses root).

use crate::util::{output, target_dir, Step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running cluster; stopped and deleted on drop.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn find_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let initdb = output("sh", &["-c", "command -v initdb"])?;
    Path::new(initdb.trim()).parent().map(Path::to_path_buf)
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

impl Cluster {
    fn cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// Creates and starts the cluster.
    pub fn start() -> Result<Cluster, String> {
        let _s = Step::new("throwaway PostgreSQL cluster");
        let bin = find_bin_dir().ok_or(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with `apt-get install postgresql`",
        )?;
        let as_postgres = output("id", &["-u"]).is_some_and(|s| s.trim() == "0");
        let dir = target_dir().join(format!("pg-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        if as_postgres {
            crate::util::run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir))?;
            // the postgres user must be able to reach the folder through its parents
            let mut p = dir.parent();
            while let Some(parent) = p {
                let _ = Command::new("chmod").arg("o+x").arg(parent).status();
                p = parent.parent();
            }
        }
        let cluster = Cluster { bin, dir, port: free_port()?, as_postgres };
        let data = cluster.dir.join("data");
        crate::util::run(
            cluster
                .cmd("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
                .stdout(std::process::Stdio::null()),
        )?;
        // The superuser gets in without a password (the tests' setup); everyone else must log in with SCRAM,
        // so office mode's tests prove that a person's password works and a wrong one does not.
        let hba =
            "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n\
                   host all postgres ::1/128 trust\nhost all all ::1/128 scram-sha-256\n";
        std::fs::write(data.join("pg_hba.conf"), hba).map_err(|e| format!("cannot write pg_hba.conf: {e}"))?;
        // Every statement is logged, so a test can show that no password reaches the server's log.
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=200 -c log_statement=all",
            cluster.port,
            cluster.dir.display()
        );
        crate::util::run(
            cluster
                .cmd("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(cluster.dir.join("server.log"))
                .args(["-w", "-o", &opts, "start"])
                .stdout(std::process::Stdio::null()),
        )?;
        eprintln!("    {}", cluster.url());
        Ok(cluster)
    }

    /// The server's log file.
    pub fn log(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// The superuser URL of the cluster's default database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
