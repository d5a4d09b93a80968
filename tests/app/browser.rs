//! A browser for the account and session tests: keeps cookies, follows no redirects (so tests
//! see each 303 and its cookies), reads CSRF tokens out of forms, and registers members through
//! the real pages, taking the verification link from the captured e-mail.

use regiohub::i18n::{self, Lang};
use regiohub::service::accounts::AccountMailKind;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::mail::{ReceivedMail, parse};

/// The password every member registered by these helpers uses.
pub const PASSWORD: &str = "correct horse battery staple";

/// One answer as a test looks at it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Page {
    pub(crate) async fn from(response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        let set_cookies =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let body = response.text().await.unwrap();
        Page { status, location, set_cookies, body }
    }

    /// The `Set-Cookie` line for the cookie called `name`, if this answer set it.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies.iter().find(|c| c.starts_with(&format!("{name}="))).map(String::as_str)
    }

    /// The value part of the cookie called `name`.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        self.cookie(name).map(|c| c[name.len() + 1..].split(';').next().unwrap().to_owned())
    }
}

/// A cookie-keeping client against one app.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, base: app.address.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Page {
        Page::from(self.client.get(self.url(path)).send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Page::from(self.client.post(self.url(path)).form(form).send().await.unwrap()).await
    }

    /// Opens `form_page`, takes its CSRF token and posts `fields` with it to `action`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        assert_eq!(page.status, StatusCode::OK, "{form_page}: {}", page.body);
        let token = csrf_token_in(&page.body);
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }

    /// Logs in through the login page.
    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.submit("/login", "/login", &[("email", email), ("password", password)]).await
    }
}

/// The value of the first `csrf_token` hidden field of a page.
pub fn csrf_token_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no CSRF field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// An address no other test (or the other backend's run of this test) uses.
pub fn unique_email(tag: &str) -> String {
    format!("{tag}-{}@example.org", regiohub::db::new_id().replace('-', ""))
}

/// Every mail sent to `email` so far, after running the mail job once.
pub async fn mails_to(app: &TestApp, email: &str) -> Vec<ReceivedMail> {
    app.send_mail().await;
    app.mailbox().iter().filter(|m| m.to.iter().any(|to| to == email)).map(parse).collect()
}

/// The path of the link in the newest mail of `kind` to `email`, taken from the mail as sent:
/// links carry the configured public address, the test app listens elsewhere.
pub async fn mailed_link(app: &TestApp, email: &str, kind: AccountMailKind) -> String {
    let subjects: Vec<String> = Lang::ALL.iter().map(|lang| i18n::t(*lang, kind.subject_key())).collect();
    let mails = mails_to(app, email).await;
    let mail = mails.iter().rev().find(|m| subjects.contains(&m.subject)).unwrap_or_else(|| {
        panic!("no {kind:?} mail to {email} among {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>())
    });
    let base = app.state.settings.public_url.trim_end_matches('/');
    let start = mail.text.find(base).unwrap_or_else(|| panic!("no link in {}", mail.text));
    let link = mail.text[start..].split_whitespace().next().unwrap();
    assert!(mail.html.contains(&format!("href=\"{link}\"")), "the HTML part links the same: {}", mail.html);
    link[base.len()..].to_owned()
}

/// Registers through the page and confirms the address through the mailed link.
pub async fn register_and_verify(app: &TestApp, browser: &Browser, name: &str, email: &str) {
    let page =
        browser.submit("/register", "/register", &[("name", name), ("email", email), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page = browser.get(&mailed_link(app, email, AccountMailKind::Verify).await).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

/// A new member, registered, verified and logged in in their own browser.
pub async fn logged_in_member(app: &TestApp, tag: &str) -> (Browser, String) {
    let browser = Browser::new(app);
    let email = unique_email(tag);
    register_and_verify(app, &browser, "Erika Mustermann", &email).await;
    let page = browser.log_in(&email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    (browser, email)
}
