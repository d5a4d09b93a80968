//! nginx in front of service instances, configured with the deployment's own site file
//! (`deploy/nginx/regiohub.conf`): the test changes only what ties the file to a real host —
//! the two upstream addresses become the test's instances, and the listen ports become loopback
//! ports. The TLS server is served as plain HTTP (its `ssl_*` lines dropped): the test's bridge
//! and clients trust no test certificate; `deploy/check.sh` checks the TLS part with `nginx -t`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::free_port;

const SITE: &str = include_str!("../../deploy/nginx/regiohub.conf");

/// A running nginx; stopped when dropped.
pub struct Nginx {
    pub url: String,
    prefix: tempfile::TempDir,
    child: Child,
}

impl Nginx {
    /// Starts nginx with the deployment's site file balancing over `instances` (ports on
    /// loopback, as many as the file has upstream servers) and waits until it answers.
    pub async fn start(instances: &[u16]) -> Nginx {
        let binary = nginx_binary();
        let prefix = tempfile::tempdir().unwrap();
        let port = free_port();
        let site = render_site(SITE, instances, port, free_port());
        std::fs::write(prefix.path().join("site.conf"), site).unwrap();
        std::fs::write(prefix.path().join("nginx.conf"), main_config(prefix.path())).unwrap();
        let child = Command::new(&binary)
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(prefix.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let nginx = Nginx { url: format!("http://127.0.0.1:{port}"), prefix, child };
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if client.get(format!("{}/health", nginx.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return nginx;
            }
            assert!(tokio::time::Instant::now() < deadline, "nginx did not answer: {}", nginx.error_log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.prefix.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx from Debian's package; the test fails (it is not skipped) where there is none.
fn nginx_binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join("nginx")).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin/nginx")])
        .find(|path| path.is_file())
        .expect("nginx is needed for the several-instances tests: apt-get install nginx (.ci/run does)")
}

/// A main configuration that keeps everything in `prefix` and includes the site.
fn main_config(prefix: &Path) -> String {
    let dir = prefix.display();
    // Workers of a master started as root run as `nobody` unless told otherwise and could not
    // write the temporary folders here.
    let user = if is_root() { "user root;\n" } else { "" };
    format!(
        "{user}daemon off;\nmaster_process on;\nworker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log warn;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n    access_log off;\n    client_body_temp_path {dir}/body;\n    proxy_temp_path {dir}/proxy;\n\
         \x20   fastcgi_temp_path {dir}/fastcgi;\n    uwsgi_temp_path {dir}/uwsgi;\n    scgi_temp_path {dir}/scgi;\n\
         \x20   include {dir}/site.conf;\n}}\n"
    )
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// The site file with the test's addresses. Every line it changes must be found, so a changed
/// site file fails here instead of being tested half.
fn render_site(site: &str, instances: &[u16], port: u16, redirect_port: u16) -> String {
    let mut upstreams = instances.iter();
    let (mut tls_server, mut redirect_server) = (false, false);
    let mut lines = Vec::new();
    for line in site.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("server 127.0.0.1:808") {
            let instance = upstreams.next().expect("the site has more upstream servers than the test has instances");
            let rest = trimmed.split_once(' ').map_or("", |(_, after)| after);
            let options = rest.split_once(' ').map_or(";", |(_, options)| options);
            lines.push(format!("    server 127.0.0.1:{instance} {options}"));
        } else if trimmed.starts_with("listen 443 ") || trimmed.starts_with("listen [::]:443 ") {
            if !tls_server {
                lines.push(format!("    listen 127.0.0.1:{port};"));
            }
            tls_server = true;
        } else if trimmed.starts_with("listen 80") || trimmed.starts_with("listen [::]:80") {
            if !redirect_server {
                lines.push(format!("    listen 127.0.0.1:{redirect_port};"));
            }
            redirect_server = true;
        } else if trimmed.starts_with("ssl_") {
            continue;
        } else {
            lines.push(line.to_owned());
        }
    }
    assert!(upstreams.next().is_none(), "the site has fewer upstream servers than the test has instances");
    assert!(tls_server && redirect_server, "the site has its https server and its redirect");
    lines.join("\n")
}
