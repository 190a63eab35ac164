//! Tauri's build step; the config lives at the workspace root, beside this package's manifest.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("tauri.conf.json"))
        .expect("tauri-build failed: check tauri.conf.json and icons/");
}
