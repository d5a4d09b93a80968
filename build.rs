//! Rebuilds when a migration changes (`embed_migrations!` cannot see new files by itself), and
//! turns on the PostgreSQL variants of the integration tests when `TEST_DATABASE_URL` is set;
//! without it they are listed as ignored, with the reason, instead of passing silently.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rustc-check-cfg=cfg(regiohub_pg_tests)");
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo:rustc-cfg=regiohub_pg_tests");
    }
}
