//! What every page needs to know about this portal instance: the support
//! contacts (one configurable block, docs/product-rules.md) and whether it runs in dev
//! mode. Fetched once per page load and shared as context.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub support_phone: String,
    pub support_email: String,
    pub dev: bool,
}

impl SiteInfo {
    /// `tel:` link target: the digits of the phone, with a leading +.
    pub fn phone_href(&self) -> String {
        let digits: String = self.support_phone.chars().filter(char::is_ascii_digit).collect();
        format!("tel:{}{digits}", if self.support_phone.trim_start().starts_with('+') { "+" } else { "" })
    }
}

#[server(endpoint = "site_info")]
pub async fn get_site_info() -> Result<SiteInfo, AppError> {
    let state = crate::platform::app_state()?;
    Ok(SiteInfo {
        support_phone: state.config.support.phone.clone(),
        support_email: state.config.support.email.clone(),
        dev: state.config.mode.is_dev(),
    })
}

pub type SiteResource = OnceResource<Result<SiteInfo, AppError>>;

pub fn provide_site_info() -> SiteResource {
    let res = OnceResource::new(get_site_info());
    provide_context(res);
    res
}

pub fn use_site_info() -> Option<SiteResource> {
    use_context::<SiteResource>()
}
