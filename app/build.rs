//! Embeds the service catalogue: every `services/*.toml` becomes an entry of
//! `SERVICE_FILES` (name, text), so adding a service is adding a file — no
//! code. Sorted by name, so the build is reproducible.

use std::fmt::Write as _;

// A build script stops the build by panicking; that is its way to fail.
#[allow(clippy::panic)]
fn main() {
    // Read at run time: a build script compiled once may run for another
    // checkout sharing the target directory.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let dir = std::path::Path::new(&manifest).join("services");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut out = String::from("pub static SERVICE_FILES: &[(&str, &str)] = &[\n");
    for p in &files {
        println!("cargo::rerun-if-changed={}", p.display());
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", p.display().to_string());
    }
    out.push_str("];\n");
    let target = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("service_files.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("cannot write {}: {e}", target.display());
    }
}
