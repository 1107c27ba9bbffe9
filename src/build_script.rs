//! Cargo's build script (not a module of gloss): records the commit the binary is built from,
//! for `gloss --version`, and makes a change anywhere in the built-in theme rebuild the crate.
// Cargo reads a build script's instructions from its standard output.
#![allow(clippy::print_stdout)]

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    // Built from a crate archive (`cargo install gloss-review`) there is no repository to ask.
    println!(
        "cargo:rustc-env=GLOSS_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}
