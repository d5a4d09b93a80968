//! `/health` tells a monitor whether the service can use its database.

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn health_is_ok_with_a_reachable_database() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "reachable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(regiohub_pg_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.db_checkout_timeout_ms = 500).await;
    assert_eq!(app.client.get(app.url("/health")).send().await.unwrap().status(), StatusCode::OK);
    // Drop the database under the running app.
    let crate::helpers::TestDatabase::Postgres { admin_url, name, .. } = &app.database else { unreachable!() };
    {
        use diesel::{Connection, RunQueryDsl};
        let mut admin = diesel::PgConnection::establish(admin_url).unwrap();
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).unwrap();
    }
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}
