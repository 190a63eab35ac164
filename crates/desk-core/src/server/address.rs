//! Where the office server is: host, port, database, user, TLS (`sslmode`, CA file), read from and written as
//! a `postgres://` address that never holds the password (that lives only in the OS keyring).

use super::{ServerError, ServerResult};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};
use std::str::FromStr;
use std::time::Duration;

/// A server address without its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    /// Host name or IP.
    pub host: String,
    /// Port (5432 by default).
    pub port: u16,
    /// The office's database.
    pub database: String,
    /// The database user.
    pub user: String,
    /// libpq's `sslmode` (disable, prefer, require, verify-ca, verify-full).
    pub sslmode: String,
    /// A CA certificate file to trust (`sslrootcert`).
    pub ca_file: Option<String>,
}

impl ServerAddress {
    /// Reads `postgres://user@host:port/db?sslmode=…&sslrootcert=…`. A password in the address is refused: it
    /// would end up in shell history and settings.
    pub fn parse(url: &str) -> ServerResult<ServerAddress> {
        let url = url.trim();
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| ServerError::BadUrl("it must start with postgres://".into()))?;
        let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (auth, hostpath) =
            main.rsplit_once('@').ok_or_else(|| ServerError::BadUrl("the user is missing (user@host)".into()))?;
        if auth.contains(':') {
            return Err(ServerError::BadUrl(
                "leave the password out of the address: it is asked for, or read from PGPASSWORD".into(),
            ));
        }
        let (hostport, database) = hostpath
            .split_once('/')
            .ok_or_else(|| ServerError::BadUrl("the database is missing (/database)".into()))?;
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| ServerError::BadUrl(format!("bad port {p}")))?),
            None => (hostport, 5432),
        };
        let decode = |s: &str| percent_decode(s);
        let mut address = ServerAddress {
            host: host.to_string(),
            port,
            database: decode(database),
            user: decode(auth),
            sslmode: "prefer".into(),
            ca_file: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "sslmode" => {
                    PgSslMode::from_str(v).map_err(|_| ServerError::BadUrl(format!("unknown sslmode {v}")))?;
                    address.sslmode = v.to_string();
                }
                "sslrootcert" => address.ca_file = Some(decode(v)),
                other => return Err(ServerError::BadUrl(format!("unknown option {other}"))),
            }
        }
        if address.host.is_empty() || address.user.is_empty() || address.database.is_empty() {
            return Err(ServerError::BadUrl("host, user and database are all needed".into()));
        }
        Ok(address)
    }

    /// The address as text, without a password.
    pub fn url(&self) -> String {
        let mut url = format!(
            "postgres://{}@{}:{}/{}",
            percent_encode(&self.user),
            self.host,
            self.port,
            percent_encode(&self.database)
        );
        let mut sep = '?';
        if self.sslmode != "prefer" {
            url.push_str(&format!("{sep}sslmode={}", self.sslmode));
            sep = '&';
        }
        if let Some(ca) = &self.ca_file {
            url.push_str(&format!("{sep}sslrootcert={}", percent_encode(ca)));
        }
        url
    }

    /// Where its password is filed in the OS keyring.
    pub fn keyring_account(&self) -> String {
        format!("server:{}@{}:{}/{}", self.user, self.host, self.port, self.database)
    }

    /// Connection options with this password.
    pub fn options(&self, password: Option<&str>) -> ServerResult<PgConnectOptions> {
        let mode = PgSslMode::from_str(&self.sslmode).map_err(|e| ServerError::BadUrl(e.to_string()))?;
        let mut o = PgConnectOptions::new()
            .host(&self.host)
            .port(self.port)
            .database(&self.database)
            .username(&self.user)
            .ssl_mode(mode)
            .application_name("desk-moloni");
        if let Some(ca) = &self.ca_file {
            o = o.ssl_root_cert(ca.as_str());
        }
        if let Some(p) = password {
            o = o.password(p);
        }
        Ok(o)
    }
}

/// A small pool on the server (a desktop needs few connections), failing within 10 s when it does not answer.
pub async fn connect(address: &ServerAddress, password: Option<&str>) -> ServerResult<PgPool> {
    let options = address.options(password)?;
    PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(ServerError::from_sqlx)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_reads_and_prints_back_without_a_password() {
        let a = ServerAddress::parse(
            "postgres://ana@srv.local:5433/escritorio?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        )
        .expect("parse");
        assert_eq!(
            (a.host.as_str(), a.port, a.database.as_str(), a.user.as_str()),
            ("srv.local", 5433, "escritorio", "ana")
        );
        assert_eq!(a.sslmode, "verify-full");
        assert_eq!(a.ca_file.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(ServerAddress::parse(&a.url()).expect("again"), a);
        let b = ServerAddress::parse("postgresql://rui@10.0.0.2/of").expect("defaults");
        assert_eq!((b.port, b.sslmode.as_str()), (5432, "prefer"));
        assert_eq!(b.url(), "postgres://rui@10.0.0.2:5432/of");
        assert_eq!(b.keyring_account(), "server:rui@10.0.0.2:5432/of");
    }

    #[test]
    fn bad_addresses_are_refused_with_a_reason() {
        for bad in [
            "http://ana@h/db",
            "postgres://h/db",
            "postgres://ana:secret@h/db",
            "postgres://ana@h",
            "postgres://ana@h:99999/db",
            "postgres://ana@h/db?sslmode=sometimes",
            "postgres://ana@h/db?password=x",
        ] {
            assert!(matches!(ServerAddress::parse(bad), Err(ServerError::BadUrl(_))), "{bad}");
        }
    }
}
