//! Portuguese postal codes: `NNNN-NNN` (CTT), first digit 1–9.

/// Normalises a Portuguese postal code to `NNNN-NNN`; accepts `NNNNNNN` and spaces around the dash.
pub fn parse_pt_postal_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let dash_ok = input.chars().filter(|c| *c == '-').count() <= 1;
    if !dash_ok || digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    Some(format!("{}-{}", &digits[..4], &digits[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes() {
        assert_eq!(parse_pt_postal_code("1000-001"), Some("1000-001".into()));
        assert_eq!(parse_pt_postal_code("4450 - 123"), Some("4450-123".into()));
        assert_eq!(parse_pt_postal_code("4450123"), Some("4450-123".into()));
        assert_eq!(parse_pt_postal_code("0450-123"), None);
        assert_eq!(parse_pt_postal_code("4450-12"), None);
        assert_eq!(parse_pt_postal_code("44a0-123"), None);
        assert_eq!(parse_pt_postal_code("44-50-123"), None);
    }
}
