//! The benchmark's yardstick: the smallest page built with the same stack as RegioHub (actix-web,
//! askama, diesel over an r2d2 pool of SQLite connections): one query, one small template.
//! `bench/run.py` measures it in the same run as the real pages, so its figures are read as
//! ratios that do not depend on the machine. Not part of the service.
//!
//! Usage: `baseline_page <listen address> <folder for its SQLite file>`.

use std::path::PathBuf;

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{Integer, Text};

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{{ name }}</title></head><body><h1>{{ name }}</h1><p>Nr. {{ id }}</p></body></html>",
    ext = "html"
)]
struct Page {
    id: i32,
    name: String,
}

async fn page(pool: web::Data<SqlitePool>) -> HttpResponse {
    let found = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT id, name FROM places WHERE id = 1")
            .get_result::<Row>(&mut conn)
            .map_err(|e| e.to_string())
    })
    .await;
    match found {
        Ok(Ok(row)) => match (Page { id: row.id, name: row.name }).render() {
            Ok(html) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html),
            Err(error) => HttpResponse::InternalServerError().body(error.to_string()),
        },
        Ok(Err(error)) => HttpResponse::InternalServerError().body(error),
        Err(error) => HttpResponse::InternalServerError().body(error.to_string()),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(listen), Some(folder)) = (args.next(), args.next()) else {
        eprintln!("usage: baseline_page <listen address> <folder>");
        std::process::exit(2);
    };
    let file = PathBuf::from(folder).join("baseline.db");
    let pool = Pool::builder()
        .max_size(8)
        .build(ConnectionManager::<SqliteConnection>::new(file.to_string_lossy()))
        .map_err(std::io::Error::other)?;
    {
        let mut conn = pool.get().map_err(std::io::Error::other)?;
        for statement in [
            "PRAGMA journal_mode = WAL",
            "CREATE TABLE IF NOT EXISTS places (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
            "INSERT OR IGNORE INTO places (id, name) VALUES (1, 'RegioHub Polch')",
        ] {
            diesel::sql_query(statement).execute(&mut conn).map_err(std::io::Error::other)?;
        }
    }
    let pool = web::Data::new(pool);
    HttpServer::new(move || App::new().app_data(pool.clone()).route("/", web::get().to(page))).bind(listen)?.run().await
}
