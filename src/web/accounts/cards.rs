//! `POST /account/cards/{id}/revoke`: a member revokes one of their door cards (a lost card);
//! it stops opening doors as soon as the hub's bridge has the new snapshot. The list itself is
//! part of the account page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::forbidden;
use crate::service::cards;
use crate::state::AppState;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{CurrentUser, require_csrf};

/// The revoke button's form.
#[derive(Debug, Deserialize)]
pub struct RevokeCardForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/cards/{id}/revoke`; someone else's card answers 404.
pub async fn revoke_card(
    state: web::Data<AppState>,
    current: CurrentUser,
    card_id: web::Path<String>,
    form: web::Form<RevokeCardForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let (user_id, card_id, now) = (current.user.id.clone(), card_id.into_inner(), state.clock.now());
    state.db(move |conn| cards::revoke_own(conn, &user_id, &card_id, now)).await?;
    Ok(see_other("/account?done=card-revoked"))
}
