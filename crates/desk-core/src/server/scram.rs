//! Passwords for the office server's people: generated strong first passwords, and the SCRAM-SHA-256
//! verifier computed here on the desktop (RFC 5802/7677, PostgreSQL's `SCRAM-SHA-256$iter:salt$stored:server`
//! form), so `CREATE ROLE … PASSWORD` carries a verifier and no cleartext ever reaches the server or its logs.

use super::ServerError;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// PostgreSQL's default iteration count (`scram_iterations`).
pub const ITERATIONS: u32 = 4096;

/// The shortest password accepted.
pub const MIN_LEN: usize = 12;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length; new_from_slice cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// PBKDF2-HMAC-SHA-256, one 32-byte block (RFC 8018), as SCRAM's `Hi()`.
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut first = salt.to_vec();
    first.extend_from_slice(&1u32.to_be_bytes());
    let mut u = hmac(password, &first);
    let mut out = u;
    for _ in 1..iterations {
        u = hmac(password, &u);
        out.iter_mut().zip(u.iter()).for_each(|(o, x)| *o ^= x);
    }
    out
}

/// The verifier of `password` with this salt and iteration count.
pub fn verifier_with(password: &str, salt: &[u8], iterations: u32) -> String {
    let salted = pbkdf2_sha256(password.as_bytes(), salt, iterations);
    let client_key = hmac(&salted, b"Client Key");
    let stored_key = Sha256::digest(client_key);
    let server_key = hmac(&salted, b"Server Key");
    format!("SCRAM-SHA-256${iterations}:{}${}:{}", B64.encode(salt), B64.encode(stored_key), B64.encode(server_key))
}

/// Checks the rules: at least [`MIN_LEN`] characters, printable ASCII only (so SASLprep leaves it unchanged and
/// every client sends the same bytes).
pub fn check(password: &str) -> Result<(), ServerError> {
    if password.chars().count() < MIN_LEN || !password.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ServerError::WeakPassword);
    }
    Ok(())
}

fn random(buf: &mut [u8]) -> Result<(), ServerError> {
    getrandom::fill(buf).map_err(|e| ServerError::Db(format!("no randomness from the OS: {e}")))
}

/// A verifier for `password` with a fresh random salt; refuses a password that breaks [`check`].
pub fn verifier(password: &str) -> Result<String, ServerError> {
    check(password)?;
    let mut salt = [0u8; 16];
    random(&mut salt)?;
    Ok(verifier_with(password, &salt, ITERATIONS))
}

/// A strong first password: four groups of five from an alphabet without look-alikes (0/O, 1/l/I), about 112
/// bits, easy to read out and type (`k7Rfq-Mw3xT-…`).
pub fn generate() -> Result<String, ServerError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::new();
    let mut bytes = [0u8; 64];
    random(&mut bytes)?;
    let mut picked = 0;
    for b in bytes {
        // rejection sampling keeps every letter equally likely
        let limit = 256 - 256 % ALPHABET.len();
        if usize::from(b) >= limit {
            continue;
        }
        if picked > 0 && picked % 5 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
        picked += 1;
        if picked == 20 {
            return Ok(out);
        }
    }
    // 64 random bytes nearly always give 20 accepted ones; otherwise draw again
    generate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1 (first 32 of 64 bytes)
        assert_eq!(
            hex(&pbkdf2_sha256(b"passwd", b"salt", 1)),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn the_verifier_has_postgresql_s_shape_and_hides_the_password() {
        let v = verifier("correct horse battery".replace(' ', "-").as_str()).expect("verifier");
        assert!(v.starts_with("SCRAM-SHA-256$4096:"), "{v}");
        assert!(!v.contains("horse"));
        let (head, keys) = v.split_once('$').and_then(|(_, rest)| rest.split_once('$')).expect("two $");
        let salt = B64.decode(head.split_once(':').expect("iter:salt").1).expect("salt b64");
        assert_eq!(salt.len(), 16);
        let (stored, server) = keys.split_once(':').expect("stored:server");
        assert_eq!(B64.decode(stored).expect("b64").len(), 32);
        assert_eq!(B64.decode(server).expect("b64").len(), 32);
        // same password and salt, same verifier; another salt, another verifier
        assert_eq!(
            verifier_with("abcdefghijkl", b"0123456789abcdef", 4096),
            verifier_with("abcdefghijkl", b"0123456789abcdef", 4096)
        );
        assert_ne!(verifier("abcdefghijkl").expect("v"), verifier("abcdefghijkl").expect("v"));
    }

    #[test]
    fn weak_or_odd_passwords_are_refused() {
        assert_eq!(verifier("short"), Err(ServerError::WeakPassword));
        assert_eq!(verifier("with spaces inside"), Err(ServerError::WeakPassword));
        assert_eq!(verifier("palavra-passe-ção"), Err(ServerError::WeakPassword));
        assert!(verifier("Long-enough-1").is_ok());
    }

    #[test]
    fn generated_passwords_are_strong_and_differ() {
        let a = generate().expect("a");
        let b = generate().expect("b");
        assert_ne!(a, b);
        assert_eq!(a.len(), 23, "{a}");
        assert_eq!(a.matches('-').count(), 3);
        assert!(check(&a).is_ok());
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']));
    }
}
