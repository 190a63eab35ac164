//! Where the local database lives: an explicit folder, `DESK_DATA_DIR`, or the OS's per-user app-data folder.

use std::path::PathBuf;

/// The environment variable that points the app and the CLI at another data folder (tests use a temp dir).
pub const DATA_DIR_ENV: &str = "DESK_DATA_DIR";
/// The database file's name inside the data folder.
pub const DB_FILE: &str = "desk-moloni.sqlite3";

/// The data folder to use: `explicit` if given, else `DESK_DATA_DIR`, else the OS default
/// (`~/.local/share/desk-moloni` on Linux, `~/Library/Application Support/pt.desk-moloni.desk-moloni` on macOS,
/// `%APPDATA%\desk-moloni\desk-moloni\data` on Windows).
pub fn data_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(p) = explicit {
        return p;
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("pt", "desk-moloni", "desk-moloni")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("desk-moloni-data"))
}
