//! What every page shares: the language, who is logged in, the CSRF token for the header's
//! forms, a flash message, and the operator whose legal pages the footer links to.

use actix_web::HttpRequest;

use super::session::MaybeUser;
use crate::domain::ids::OperatorId;
use crate::i18n::{self, Lang};

/// Cookie that keeps a visitor's language choice.
pub const LANG_COOKIE: &str = "regiohub_lang";

/// The operator of the hub a page is about.
#[derive(Debug, Clone)]
pub struct OperatorLink {
    pub id: OperatorId,
    pub name: String,
}

/// The shared part of every page's template context.
#[derive(Debug, Clone)]
pub struct Layout {
    pub lang: Lang,
    pub user_name: Option<String>,
    pub csrf_token: String,
    /// Where the language switch comes back to: the current path, unless the page says otherwise.
    pub path: String,
    pub flash: Option<String>,
    pub operator: Option<OperatorLink>,
    /// Whether the viewer is staff, so the header links the console.
    pub staff: bool,
}

impl Layout {
    /// The layout for this request and viewer.
    pub fn new(req: &HttpRequest, viewer: &MaybeUser) -> Layout {
        let lang = match &viewer.0 {
            Some(current) => current.lang,
            None => request_lang(req),
        };
        let path = match req.uri().query() {
            Some(query) => format!("{}?{query}", req.path()),
            None => req.path().to_owned(),
        };
        Layout {
            lang,
            user_name: viewer.0.as_ref().map(|c| c.user.name.clone()),
            csrf_token: viewer.csrf_token(req),
            path,
            flash: None,
            operator: None,
            staff: viewer.0.as_ref().is_some_and(|c| c.staff.is_some()),
        }
    }

    /// Shows the operator's legal pages in the footer.
    pub fn with_operator(mut self, id: &OperatorId, name: &str) -> Layout {
        self.operator = Some(OperatorLink { id: id.clone(), name: name.to_owned() });
        self
    }

    /// Shows a one-off message at the top of the page.
    pub fn with_flash(mut self, message: String) -> Layout {
        self.flash = Some(message);
        self
    }

    /// The catalogue's text in the page's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// The catalogue's text with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_string())])
    }

    /// The catalogue's text with two arguments.
    pub fn t2(&self, key: &str, a: (&'static str, &str), b: (&'static str, &str)) -> String {
        i18n::t_args(self.lang, key, &[(a.0, a.1.to_owned()), (b.0, b.1.to_owned())])
    }

    /// The languages for the switch.
    pub fn languages(&self) -> &'static [Lang] {
        &Lang::ALL
    }

    /// Sets where the language switch comes back to, when the page's own address carries
    /// one-time notices (a "booked" banner, a PIN just shown) that must not be replayed.
    pub fn with_return_path(mut self, path: String) -> Layout {
        self.path = path;
        self
    }

    /// The language switch's link to `lang`: a plain GET link, so it needs no script and no form.
    pub fn language_href(&self, lang: &Lang) -> String {
        format!("/language?lang={}&back={}", lang.code(), encode_path(&self.path))
    }
}

/// Percent-encodes a local path for a query value; `/` stays readable.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A visitor's language: their saved choice, else what the browser asks for, else German.
pub fn request_lang(req: &HttpRequest) -> Lang {
    if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return lang;
    }
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .map_or(Lang::De, Lang::from_accept_language)
}
