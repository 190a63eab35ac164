//! Moloni's own PDF of an issued document ("PDF do Moloni"): downloaded the first time it is asked for, then kept
//! in the data folder (`moloni-pdf/`) and opened from there, also offline. Moloni's PDF is the one it reported to
//! the Tax Authority; ours ([`crate::printing`]) is drawn from the snapshot taken at issue.

use crate::documents;
use crate::error::{CoreError, CoreResult};
use crate::Ctx;
use desk_model::ipc::PdfSaved;
use desk_model::msg::Localized;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Where a document's Moloni PDF is kept: `<data folder>/moloni-pdf/<company>/<number>.pdf`.
pub fn kept_path(data_dir: &Path, company: Uuid, number: &str) -> PathBuf {
    data_dir.join("moloni-pdf").join(company.to_string()).join(crate::pdf::safe_file_name(number))
}

/// Moloni's PDF of issued document `id`: the kept copy, or downloaded (and kept) when there is none yet.
pub async fn fetch(cx: &Ctx, data_dir: &Path, id: Uuid) -> CoreResult<PdfSaved> {
    let doc = documents::get(cx, id).await?;
    let Some(fiscal) = doc.fiscal.as_ref().filter(|_| doc.state.is_issued() || doc.cancel_reason.is_some()) else {
        return Err(CoreError::invalid(
            "id",
            Localized::new(
                "Só os documentos emitidos têm PDF do Moloni: emita o documento primeiro.",
                "Only issued documents have a Moloni PDF: issue the document first.",
            ),
        ));
    };
    let path = kept_path(data_dir, cx.company().id, &fiscal.number);
    if !path.exists() {
        let client = super::client(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
        let company = super::company_id(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
        let bytes = client.company(company).document_pdf(fiscal.moloni_id).await?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| {
                CoreError::from(crate::pdf::PdfError::Write { path: parent.to_path_buf(), source })
            })?;
        }
        crate::pdf::write_whole(&path, &bytes)?;
        tracing::info!(document = %id, "Moloni PDF kept");
    }
    let pages = lopdf::Document::load(&path).map(|d| d.get_pages().len()).unwrap_or(0);
    Ok(PdfSaved { path: path.display().to_string(), pages, warnings: Vec::new() })
}
