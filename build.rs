//! Rebuilds when a migration changes: `embed_migrations!` cannot see new files by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
