//! The browser half of a ceremony: `navigator.credentials.create/get`
//! through web-sys, with webauthn-rs-proto's conversions between its JSON
//! types and the browser's objects. The answer goes back to the server as
//! JSON text. In the server build the calls only say «not supported»
//! (they are never made there).

use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

/// Why the browser gave no answer; each has its message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CeremonyError {
    /// No WebAuthn in this browser (or not on this address).
    Unsupported,
    /// The person cancelled, user verification failed or the time ran out.
    Cancelled,
    /// `create`: this authenticator already holds a passkey of the account.
    AlreadyAdded,
    /// The page's address does not match the relying party.
    Insecure,
    /// Anything else the browser said.
    Other(String),
}

impl CeremonyError {
    pub fn message(&self) -> String {
        use super::model;
        match self {
            CeremonyError::Unsupported => model::UNSUPPORTED.to_string(),
            CeremonyError::Cancelled => model::CANCELLED.to_string(),
            CeremonyError::AlreadyAdded => model::ALREADY_ADDED.to_string(),
            CeremonyError::Insecure => model::INSECURE.to_string(),
            CeremonyError::Other(name) => format!("{} (ошибка браузера: {name})", model::NOT_VERIFIED),
        }
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use js_sys::Reflect;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use webauthn_rs_proto::{
        CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse,
    };

    use super::CeremonyError;

    /// True when the page can use passkeys: the API exists and the page is a
    /// secure context (https, or http on localhost).
    pub fn supported() -> bool {
        let Some(window) = web_sys::window() else { return false };
        let has = |obj: &JsValue, name: &str| Reflect::has(obj, &JsValue::from_str(name)).unwrap_or(false);
        has(&window, "PublicKeyCredential")
            && has(&window.navigator(), "credentials")
            && Reflect::get(&window, &JsValue::from_str("isSecureContext")).ok().and_then(|v| v.as_bool()) == Some(true)
    }

    fn error_of(value: JsValue) -> CeremonyError {
        let name = value
            .dyn_ref::<web_sys::DomException>()
            .map(|e| e.name())
            .or_else(|| Reflect::get(&value, &JsValue::from_str("name")).ok().and_then(|v| v.as_string()))
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" | "AbortError" => CeremonyError::Cancelled,
            "InvalidStateError" => CeremonyError::AlreadyAdded,
            "SecurityError" => CeremonyError::Insecure,
            "NotSupportedError" | "TypeError" => CeremonyError::Unsupported,
            _ => CeremonyError::Other(name),
        }
    }

    async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<web_sys::PublicKeyCredential, CeremonyError> {
        let value = JsFuture::from(promise.map_err(error_of)?).await.map_err(error_of)?;
        if value.is_null() || value.is_undefined() {
            return Err(CeremonyError::Cancelled);
        }
        value.dyn_into::<web_sys::PublicKeyCredential>().map_err(|_| CeremonyError::Other("credential".into()))
    }

    pub async fn create(options: CreationChallengeResponse) -> Result<String, CeremonyError> {
        if !supported() {
            return Err(CeremonyError::Unsupported);
        }
        let window = web_sys::window().ok_or(CeremonyError::Unsupported)?;
        let options: web_sys::CredentialCreationOptions = options.into();
        let credential = call(window.navigator().credentials().create_with_options(&options)).await?;
        let answer = RegisterPublicKeyCredential::from(credential);
        serde_json::to_string(&answer).map_err(|e| CeremonyError::Other(e.to_string()))
    }

    pub async fn get(options: RequestChallengeResponse) -> Result<String, CeremonyError> {
        if !supported() {
            return Err(CeremonyError::Unsupported);
        }
        let window = web_sys::window().ok_or(CeremonyError::Unsupported)?;
        let options: web_sys::CredentialRequestOptions = options.into();
        let credential = call(window.navigator().credentials().get_with_options(&options)).await?;
        let answer = PublicKeyCredential::from(credential);
        serde_json::to_string(&answer).map_err(|e| CeremonyError::Other(e.to_string()))
    }
}

/// Asks the browser to make a passkey; the answer as JSON text.
pub async fn create(options: CreationChallengeResponse) -> Result<String, CeremonyError> {
    #[cfg(feature = "hydrate")]
    {
        imp::create(options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(CeremonyError::Unsupported)
    }
}

/// Asks the browser to sign the challenge with a passkey; the answer as JSON text.
pub async fn get(options: RequestChallengeResponse) -> Result<String, CeremonyError> {
    #[cfg(feature = "hydrate")]
    {
        imp::get(options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(CeremonyError::Unsupported)
    }
}

/// Whether this browser can use passkeys at all (false on the server).
pub fn supported() -> bool {
    #[cfg(feature = "hydrate")]
    {
        imp::supported()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}
