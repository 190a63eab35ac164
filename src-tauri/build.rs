//! Tauri's build step. The shell's manifest is the workspace root (beside tauri.conf.json), while its
//! capabilities stay with its sources in src-tauri/capabilities.
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .capabilities_path_pattern("src-tauri/capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}. Check tauri.conf.json, icons/ and src-tauri/capabilities/.");
        std::process::exit(1);
    }
}
