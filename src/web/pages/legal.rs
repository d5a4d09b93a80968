//! The operators' legal pages: Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit.
//! Their text is the operator's own, in German, stored per operator and shown as plain paragraphs
//! marked `lang="de"`.

use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::PageError;
use crate::db::catalog::{self, Operator};
use crate::domain::ids::OperatorId;
use crate::i18n::Lang;
use crate::service::ServiceError;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::MaybeUser;

#[derive(Template, WebTemplate)]
#[template(path = "legal/index.html")]
pub struct LegalIndexPage {
    pub layout: Layout,
    pub operators: Vec<Operator>,
}

/// `GET /legal`: every operator with links to its pages.
pub async fn legal_index(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
) -> Result<impl Responder, PageError> {
    let layout = Layout::new(&req, &viewer);
    let operators = state.db(|conn| Ok(catalog::list_operators(conn)?)).await?;
    Ok(LegalIndexPage { layout, operators })
}

#[derive(Template, WebTemplate)]
#[template(path = "legal/page.html")]
pub struct LegalPage {
    pub layout: Layout,
    pub title: String,
    pub operator: String,
    pub paragraphs: Vec<Vec<String>>,
    /// The language the operator wrote the text in, for its `lang` attribute (screen readers
    /// and hyphenation read it in that language even in the English interface).
    pub text_lang: &'static str,
    /// Says so when the text is not in the interface's language.
    pub language_note: Option<String>,
}

/// `GET /legal/{operator}/{imprint|privacy|accessibility}`
pub async fn legal_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    path: web::Path<(OperatorId, String)>,
) -> Result<impl Responder, PageError> {
    let (operator_id, which) = path.into_inner();
    let title_key = match which.as_str() {
        "imprint" => "footer-imprint",
        "privacy" => "footer-privacy",
        "accessibility" => "footer-accessibility",
        "house-rules" => "house-rules-title",
        _ => return Err(PageError::NotFound),
    };
    let (operator, house_rules) = state
        .db(move |conn| {
            let operator = catalog::find_operator(conn, &operator_id)?.ok_or(ServiceError::NotFound)?;
            let house_rules = crate::service::house_rules::current(conn, &operator.id)?;
            Ok((operator, house_rules))
        })
        .await?;
    let text = match which.as_str() {
        "imprint" => &operator.imprint,
        "privacy" => &operator.privacy_policy,
        // An operator without house rules has no such page.
        "house-rules" => &house_rules.as_ref().ok_or(PageError::NotFound)?.body,
        _ => &operator.accessibility_statement,
    };
    // Paragraphs split at blank lines, lines kept: the text is the operator's, never HTML.
    let paragraphs =
        text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| p.lines().map(str::to_owned).collect()).collect();
    let layout = Layout::new(&req, &viewer).with_operator(&operator.id, &operator.name);
    let title = layout.t(title_key);
    // Operators write their legal texts in German (the law they follow is German).
    let text_lang = Lang::De;
    let language_note = (layout.lang != text_lang).then(|| layout.t("legal-german-only"));
    Ok(LegalPage { layout, title, operator: operator.name, paragraphs, text_lang: text_lang.code(), language_note })
}
