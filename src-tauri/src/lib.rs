//! The Tauri shell: opens the workspace, registers the thin commands and starts the window. All work happens
//! in `desk-core`; only `desk-model` types cross the bridge.

mod close;
mod commands;
mod issuer;
mod state;
mod test_delay;

use state::AppState;
use std::path::PathBuf;
use tauri::Manager;

/// The data folder given on the command line (`--data-dir <path>`), if any; `DESK_DATA_DIR` is read by the engine.
fn data_dir_arg() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
    }
    None
}

/// Builds and runs the app until its window closes.
pub fn run() {
    let state = tauri::async_runtime::block_on(AppState::open(data_dir_arg()));
    let wake = issuer::IssuerWake::default();
    issuer::start(&state, &wake);
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .manage(commands::pdf::PdfJobs::default())
        .manage(commands::data::ImportJobs::default())
        .manage(commands::moloni::SyncJob::default())
        .manage(close::CloseGate::default())
        .manage(wake)
        // Closing the window waits for the page to store what is on screen (close.rs).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.state::<close::CloseGate>().hold(window) {
                    api.prevent_close();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::first_run,
            commands::app::set_language,
            commands::customers::customers_list,
            commands::customers::customer_get,
            commands::customers::customer_create,
            commands::customers::customer_update,
            commands::customers::customer_set_archived,
            commands::products::products_list,
            commands::products::product_create,
            commands::documents::documents_list,
            commands::documents::document_get,
            commands::documents::document_save,
            commands::documents::document_duplicate,
            commands::documents::document_delete,
            commands::documents::document_convert,
            commands::documents::payment_record,
            commands::documents::dashboard,
            commands::company::companies_list,
            commands::company::company_profile,
            commands::company::company_save,
            commands::company::company_create,
            commands::company::company_switch,
            commands::pdf::pdf_preview,
            commands::pdf::pdf_save_as,
            commands::pdf::pdf_open,
            commands::pdf::pdf_batch_start,
            commands::pdf::pdf_batch_status,
            commands::pdf::pdf_batch_cancel,
            commands::pdf::pick_folder,
            commands::pdf::pick_image,
            commands::unsaved::unsaved_form_put,
            commands::unsaved::unsaved_form_clear,
            commands::unsaved::unsaved_forms_list,
            commands::unsaved::window_close_ready,
            commands::moloni::moloni_status,
            commands::moloni::document_issue,
            commands::moloni::issue_queue,
            commands::moloni::issue_queue_summary,
            commands::moloni::issue_withdraw,
            commands::moloni::issue_retry,
            commands::moloni::document_cancel,
            commands::moloni::moloni_pdf_open,
            commands::moloni::moloni_sync,
            commands::moloni::moloni_sync_log,
            commands::moloni::moloni_sync_status,
            commands::moloni::moloni_sync_settings,
            commands::moloni::moloni_sync_settings_set,
            commands::moloni::moloni_payment_methods,
            commands::moloni::moloni_connect,
            commands::moloni::moloni_pick_company,
            commands::moloni::moloni_disconnect,
            commands::data::import_preview,
            commands::data::import_start,
            commands::data::import_status,
            commands::data::import_cancel,
            commands::data::import_profiles,
            commands::data::import_profile_save,
            commands::data::pick_import_file,
            commands::data::screen_state_put,
            commands::data::screen_state_get,
            commands::data::review_list,
            commands::data::review_resolve,
            commands::data::report_get,
            commands::data::sales_overview,
            commands::data::export_list,
            commands::server::server_status,
            commands::server::server_join,
            commands::server::server_leave,
            commands::server::office_sync_status,
            commands::server::office_sync_now,
            commands::server::office_conflicts,
            commands::server::office_conflict_resolve,
            commands::server::office_rejection_retry,
            commands::server::office_rejection_dismiss,
            commands::server::server_users,
            commands::server::server_user_add,
            commands::server::server_user_set_role,
            commands::server::server_user_reset,
            commands::server::server_user_disable,
            commands::server::audit_list,
        ])
        .build(tauri::generate_context!("tauri.conf.json"));
    match result {
        // Quitting (Cmd+Q, the system logging out) goes through the same hold as closing the window.
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::ExitRequested { api, code: None, .. } = event {
                // Only while the window is still up: once it is gone (closed through the gate, or by the system)
                // there is no page left to ask.
                if let Some(window) = handle.get_webview_window("main").filter(|w| w.is_visible().unwrap_or(false)) {
                    if handle.state::<close::CloseGate>().hold(&window.as_ref().window()) {
                        api.prevent_exit();
                    }
                }
            }
        }),
        Err(e) => {
            eprintln!("desk-moloni could not start its window: {e}. On Linux, check that WebKitGTK 4.1 is installed and a display is available.");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    /// `generate_handler!` above must list every command the UI can call (`named!` in `commands` checks each
    /// function's name; this checks none is left out).
    #[test]
    fn every_declared_command_is_registered() {
        let source = include_str!("lib.rs");
        let handler = &source[source.find("generate_handler![").expect("the handler list")..];
        let handler = &handler[..handler.find(']').expect("its end")];
        for name in desk_model::ipc::call::ALL {
            assert!(
                handler.contains(&format!("::{name},")),
                "{name} is declared in desk_model::ipc::call but not registered"
            );
        }
    }
}
