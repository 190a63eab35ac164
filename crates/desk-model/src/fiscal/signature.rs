//! The 4 signature characters and the certification phrase printed on documents Moloni signed
//! (Despacho 8632/2014 §2.2.2–2.2.3; pt-invoicing §4.4).

use crate::document::DocType;
use crate::msg::Localized;

/// Moloni's AT software certificate number.
pub const MOLONI_CERTIFICATE: &str = "2860";

/// Why the signature characters cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The signature is shorter than 31 characters (a real one has 172).
    #[error("signature too short: {0} characters, at least 31 needed")]
    TooShort(usize),
}

impl HashError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        Localized::new(
            "A assinatura devolvida pelo Moloni está incompleta: volte a sincronizar o documento.",
            "The signature Moloni returned is incomplete: sync the document again.",
        )
    }
}

/// Characters 1, 11, 21 and 31 of the base64 signature (SAF-T `Hash`): QR field Q and the printed prefix.
pub fn hash_chars(signature: &str) -> Result<String, HashError> {
    let chars: Vec<char> = signature.trim().chars().collect();
    if chars.len() < 31 {
        return Err(HashError::TooShort(chars.len()));
    }
    Ok([chars[0], chars[10], chars[20], chars[30]].iter().collect())
}

/// The certification phrase: `kLp0-Processado por programa certificado n.º 2860/AT` on signed documents,
/// `Emitido por programa certificado n.º 2860/AT` on receipts, which are not signed.
pub fn certification_phrase(doc_type: DocType, hash4: &str, certificate: &str) -> String {
    if doc_type.is_signed() {
        format!("{hash4}-Processado por programa certificado n.º {certificate}/AT")
    } else {
        format!("Emitido por programa certificado n.º {certificate}/AT")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_1_11_21_31() {
        let sig = "A123456789B123456789C123456789D123456789";
        assert_eq!(hash_chars(sig), Ok("ABCD".into()));
        assert_eq!(hash_chars(&sig[..30]), Err(HashError::TooShort(30)));
    }

    #[test]
    fn phrases() {
        assert_eq!(
            certification_phrase(DocType::Ft, "AxAx", MOLONI_CERTIFICATE),
            "AxAx-Processado por programa certificado n.º 2860/AT"
        );
        assert_eq!(
            certification_phrase(DocType::Rg, "", MOLONI_CERTIFICATE),
            "Emitido por programa certificado n.º 2860/AT"
        );
    }
}
