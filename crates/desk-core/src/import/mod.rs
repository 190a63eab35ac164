//! Importing customers and products (issue 17) from CSV, Excel and SAF-T (PT): read the file (`read`, `saft`),
//! map its columns (`mapping`), plan what it would do (`plan`: every row's problems, merge-on-match with stored
//! records), show that as a dry-run preview, and commit it all-or-nothing in one transaction of the one write
//! path, with progress and cancel. Differing values go to the review list (`crate::review`), never over the
//! stored ones.

pub mod mapping;
pub mod merge;
pub mod plan;
pub mod read;
pub mod saft;

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use desk_model::ipc::{AppError, ErrorKind, ImportKind, ImportOutcome, ImportPreview, ImportProgress, ImportRequest};
use desk_model::msg::Localized;
use plan::Plan;
use read::Table;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Records written between two looks at the cancel flag and two progress reports.
pub const CHUNK: usize = 2000;

/// Rows of the file shown in the preview table.
const SAMPLE_ROWS: usize = 20;

/// Why an import could not run; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be opened or read.
    #[error("cannot read {0}: {1}")]
    Io(String, String),
    /// The file is not CSV, a spreadsheet or SAF-T that reads.
    #[error("unreadable file: {}", .0.en)]
    Unreadable(Localized),
    /// No header row.
    #[error("the file is empty")]
    Empty,
    /// No such profile.
    #[error("no profile {0} (there are: {1})")]
    UnknownProfile(String, String),
    /// A field every record needs has no column.
    #[error("no column for {0}")]
    Unmapped(&'static str),
    /// Some rows have problems and the import was not told to leave them out.
    #[error("{0} rows have problems")]
    HasProblems(u64),
    /// The user cancelled: everything was rolled back.
    #[error("cancelled")]
    Cancelled,
    /// The mapping does not fit the file.
    #[error("the mapping has {0} entries for {1} columns")]
    MappingWidth(usize, usize),
    /// The engine failed underneath.
    #[error("{0}")]
    Core(Box<CoreError>),
}

impl ImportError {
    /// What the user sees.
    pub fn to_app_error(&self) -> AppError {
        let (kind, pt, en) = match self {
            ImportError::Io(path, e) => (
                ErrorKind::Storage,
                format!("Não é possível ler {path} ({e}). Verifique o caminho e as permissões."),
                format!("Cannot read {path} ({e}). Check the path and its permissions."),
            ),
            ImportError::Unreadable(m) => return AppError::new(ErrorKind::Validation, m.clone()),
            ImportError::Empty => (
                ErrorKind::Validation,
                "O ficheiro está vazio: precisa de uma linha de cabeçalhos e de linhas de dados.".into(),
                "The file is empty: it needs a header line and data lines.".into(),
            ),
            ImportError::UnknownProfile(name, names) => (
                ErrorKind::NotFound,
                format!("Não há perfil «{name}». Perfis: {names}."),
                format!("There is no profile «{name}». Profiles: {names}."),
            ),
            ImportError::Unmapped(field) => {
                let label = desk_model::customer::field_label(field);
                (
                    ErrorKind::Validation,
                    format!("Nenhuma coluna corresponde a «{}»: escolha-a no mapeamento.", label.pt),
                    format!("No column is mapped to «{}»: choose it in the mapping.", label.en),
                )
            }
            ImportError::HasProblems(n) => (
                ErrorKind::Validation,
                format!(
                    "{n} linhas têm problemas e nada foi importado. Corrija o ficheiro ou importe sem essas linhas."
                ),
                format!("{n} rows have problems and nothing was imported. Fix the file or import without those rows."),
            ),
            ImportError::Cancelled => (
                ErrorKind::Conflict,
                "Importação cancelada: nada foi alterado.".into(),
                "Import cancelled: nothing was changed.".into(),
            ),
            ImportError::MappingWidth(got, want) => (
                ErrorKind::Validation,
                format!("O mapeamento tem {got} colunas e o ficheiro {want}: abra o ficheiro de novo."),
                format!("The mapping has {got} columns and the file {want}: open the file again."),
            ),
            ImportError::Core(e) => return e.to_app_error(),
        };
        AppError::new(kind, Localized::new(pt, en))
    }
}

impl From<CoreError> for ImportError {
    fn from(e: CoreError) -> Self {
        ImportError::Core(Box::new(e))
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Core(Box::new(CoreError::Db(e)))
    }
}

/// A file read and mapped, ready to plan.
struct Mapped {
    table: Table,
    mapping: Vec<Option<String>>,
    profile: Option<String>,
    file_name: String,
}

async fn open(cx: &Ctx, req: &ImportRequest) -> Result<Mapped, ImportError> {
    let path = Path::new(&req.path);
    let customers = req.kind == ImportKind::Customers;
    let path_for_read = path.to_path_buf();
    let table = tokio::task::spawn_blocking(move || read::read_file(&path_for_read, customers))
        .await
        .map_err(|e| ImportError::Io(req.path.clone(), e.to_string()))??;
    let profile = match &req.profile {
        Some(name) => Some(mapping::find(cx, req.kind, name).await?),
        None => None,
    };
    let mapping = match &req.mapping {
        Some(m) if m.len() != table.headers.len() => {
            return Err(ImportError::MappingWidth(m.len(), table.headers.len()))
        }
        Some(m) => m.clone(),
        None if table.canonical => saft::fields(customers),
        None => mapping::map_columns(req.kind, &table.headers, profile.as_ref()),
    };
    let required: &[&'static str] = match req.kind {
        ImportKind::Customers => &["name"],
        ImportKind::Products => &["reference", "name"],
    };
    if let Some(missing) = required.iter().find(|f| !mapping.iter().any(|m| m.as_deref() == Some(**f))) {
        return Err(ImportError::Unmapped(missing));
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| req.path.clone());
    Ok(Mapped { table, mapping, profile: profile.map(|p| p.name), file_name })
}

fn preview_of(req: &ImportRequest, m: &Mapped, plan: &Plan) -> ImportPreview {
    let (new, updated, unchanged, differences) = match req.kind {
        ImportKind::Customers => (
            plan.customers.new.len(),
            plan.customers.updated.len(),
            plan.customers.unchanged,
            plan.customers.differences.iter().map(|(_, d)| d.clone()).collect(),
        ),
        ImportKind::Products => (
            plan.products.new.len(),
            plan.products.updated.len(),
            plan.products.unchanged,
            plan.products.differences.iter().map(|(_, d)| d.clone()).collect(),
        ),
    };
    ImportPreview {
        kind: req.kind,
        file_name: m.file_name.clone(),
        format: m.table.format.clone(),
        columns: m.table.headers.clone(),
        mapping: m.mapping.clone(),
        profile: m.profile.clone(),
        rows: m.table.rows.len() as u64,
        new: new as u64,
        updated: updated as u64,
        unchanged,
        differences,
        problems: plan.problems.clone(),
        invalid_rows: plan.invalid_rows,
        sample: m.table.rows.iter().take(SAMPLE_ROWS).map(|r| r.cells.clone()).collect(),
    }
}

/// The dry run: reads and plans the import without writing anything.
pub async fn preview(cx: &Ctx, req: &ImportRequest) -> Result<ImportPreview, ImportError> {
    let m = open(cx, req).await?;
    let mut conn = cx.store().reader().acquire().await?;
    let plan = plan::plan(&mut conn, cx.company().id, req.kind, &m.table, &m.mapping).await?;
    Ok(preview_of(req, &m, &plan))
}

/// Commits the import: plans it again inside one write transaction (so it merges with what is stored at that
/// moment), writes every new and filled-in record through the writer and the review items beside them, and
/// commits once. `progress` hears after each chunk; `cancel` is looked at between chunks and rolls everything
/// back. Refused, writing nothing, when rows have problems unless `skip_invalid`.
pub async fn commit(
    cx: &Ctx,
    req: &ImportRequest,
    progress: &(dyn Fn(ImportProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<ImportOutcome, ImportError> {
    let m = open(cx, req).await?;
    let mut w = cx.write().await?;
    let plan = plan::plan(w.conn(), cx.company().id, req.kind, &m.table, &m.mapping).await?;
    if plan.invalid_rows > 0 && !req.skip_invalid {
        return Err(ImportError::HasProblems(plan.invalid_rows));
    }
    let source = format!("import:{}", m.file_name);
    let entity = req.kind.as_str();
    let (added, updated, differences) = match req.kind {
        ImportKind::Customers => {
            let c = &plan.customers;
            write_all(&mut w, &c.new, &c.updated, progress, cancel).await?;
            (c.new.len(), c.updated.len(), &c.differences)
        }
        ImportKind::Products => {
            let p = &plan.products;
            write_all(&mut w, &p.new, &p.updated, progress, cancel).await?;
            (p.new.len(), p.updated.len(), &p.differences)
        }
    };
    let to_review = crate::review::add(&mut w, cx.company().id, entity, differences, &source).await?;
    if cancel.load(Ordering::SeqCst) {
        return Err(ImportError::Cancelled);
    }
    w.commit().await?;
    Ok(ImportOutcome { added: added as u64, updated: updated as u64, to_review, skipped: plan.invalid_rows })
}

async fn write_all<E: crate::store::Entity>(
    w: &mut crate::store::Writer<'_>,
    new: &[E],
    updated: &[(E, E)],
    progress: &(dyn Fn(ImportProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<(), ImportError> {
    let total = (new.len() + updated.len()) as u64;
    let mut done = 0u64;
    progress(ImportProgress { done, total });
    for chunk in new.chunks(CHUNK) {
        if cancel.load(Ordering::SeqCst) {
            return Err(ImportError::Cancelled);
        }
        w.insert_many(chunk).await?;
        done += chunk.len() as u64;
        progress(ImportProgress { done, total });
    }
    for chunk in updated.chunks(CHUNK) {
        if cancel.load(Ordering::SeqCst) {
            return Err(ImportError::Cancelled);
        }
        for (before, after) in chunk {
            w.update(before, after).await?;
        }
        done += chunk.len() as u64;
        progress(ImportProgress { done, total });
    }
    Ok(())
}

/// For callers that work in `CoreResult`s.
impl From<ImportError> for CoreError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Core(c) => *c,
            other => CoreError::Import(Box::new(other)),
        }
    }
}

/// The profiles for a kind (built-in and saved).
pub async fn profiles(cx: &Ctx, kind: ImportKind) -> CoreResult<Vec<desk_model::ipc::ImportProfile>> {
    mapping::profiles(cx, kind).await
}
