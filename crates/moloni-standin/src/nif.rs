//! The stand-in's own NIF check (mod 11), as Moloni applies to Portuguese customers (error 8).

/// True for a valid Portuguese NIF.
pub fn valid(nif: &str) -> bool {
    let digits: Vec<u32> = nif.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || nif.trim().chars().count() != 9 || !matches!(digits[0], 1 | 2 | 3 | 5 | 6 | 7 | 8 | 9) {
        return false;
    }
    let sum: u32 = digits[..8].iter().enumerate().map(|(i, d)| d * (9 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        c => c,
    };
    check == digits[8]
}

/// A valid NIF from its first eight digits (the check digit added).
pub fn with_check(first8: u32) -> String {
    let digits: Vec<u32> = format!("{:08}", first8 % 100_000_000).chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits.iter().enumerate().map(|(i, d)| d * (9 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        c => c,
    };
    format!("{:08}{check}", first8 % 100_000_000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_nifs() {
        assert!(super::valid("501234560") && super::valid("999999990") && super::valid("503504564"));
        assert!(!super::valid("501234561") && !super::valid("12345") && !super::valid("abcdefghi"));
        assert_eq!(super::with_check(50123456), "501234560");
        assert!(super::valid(&super::with_check(51000042)));
    }
}
