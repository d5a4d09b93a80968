//! The command line: bad input gives one line on stderr and exit code 2; users and tokens
//! created on the command line work against the API.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn regiohub(args: &[&str], data_dir: &std::path::Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regiohub"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub(crate) fn assert_usage_error(output: &Output, mentions: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(mentions), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn wrong_arguments_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_usage_error(&regiohub(&["frobnicate"], dir.path(), None), "frobnicate");
    assert_usage_error(&regiohub(&["serve", "--listen", "not-an-address"], dir.path(), None), "not-an-address");
    assert_usage_error(
        &regiohub(&["user", "add", "--email", "x@example.org", "--name", "X", "--role", "superuser"], dir.path(), None),
        "superuser",
    );
    assert_usage_error(
        &regiohub(&["user", "add", "--email", "not-an-email", "--name", "X", "--role", "member"], dir.path(), None),
        "email",
    );
    assert_usage_error(
        &regiohub(
            &["user", "add", "--email", "m@example.org", "--name", "M", "--role", "manager:atlantis"],
            dir.path(),
            None,
        ),
        "atlantis",
    );
    assert_usage_error(
        &regiohub(&["token", "create", "--email", "nobody@example.org"], dir.path(), None),
        "no such user",
    );
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "db_pool_size = \"many\"\n").unwrap();
    assert_usage_error(&regiohub(&["--config", config.to_str().unwrap(), "migrate"], dir.path(), None), "db_pool_size");
}

/// `regiohub demo` is there in a default build (the `demo` feature); a build without it would
/// answer "unrecognized subcommand" and never read the flag.
#[test]
fn the_demo_command_is_there_with_the_demo_feature() {
    let dir = tempfile::tempdir().unwrap();
    assert_usage_error(&regiohub(&["demo", "--modbus-listen", "not-an-address"], dir.path(), None), "not-an-address");
}

#[test]
fn users_and_tokens_are_created_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = regiohub(&["migrate"], dir.path(), None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let output =
        regiohub(&["user", "add", "--email", "Ada@Example.org", "--name", "Ada", "--role", "admin"], dir.path(), None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let password = stdout.trim().rsplit(' ').next().unwrap();
    assert!(password.len() >= 20, "generated password printed: {stdout}");

    let output = regiohub(
        &["user", "add", "--email", "bea@example.org", "--name", "Bea", "--role", "member", "--password-stdin"],
        dir.path(),
        Some("a password from stdin\n"),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("a password from stdin"));

    // The same address again (case does not matter) is refused.
    assert_usage_error(
        &regiohub(
            &["user", "add", "--email", "ada@example.org", "--name", "Ada", "--role", "member"],
            dir.path(),
            None,
        ),
        "exists",
    );

    let output = regiohub(&["token", "create", "--email", "bea@example.org"], dir.path(), None);
    assert!(output.status.success());
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(token.starts_with("rh_"));

    // Only the token's hash is in the database.
    let url = dir.path().join("regiohub.db");
    let mut conn = regiohub::db::establish(url.to_str().unwrap()).unwrap();
    use diesel::prelude::*;
    use regiohub::db::schema::{api_tokens, users};
    let hashes: Vec<String> = api_tokens::table.select(api_tokens::token_hash).load(&mut conn).unwrap();
    assert_eq!(hashes, vec![regiohub::service::accounts::token_hash(&token)]);
    let stored: Vec<Option<String>> = users::table.select(users::password_hash).load(&mut conn).unwrap();
    assert!(stored.iter().all(|h| h.as_deref().is_some_and(|h| h.starts_with("$argon2id$"))));
}
