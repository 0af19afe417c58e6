//! The one error type a person sees. Every server function returns
//! `Result<T, AppError>`; its text is Russian and safe to show. Details that
//! belong in the log (causes, queries, stack) never enter this type: the
//! server logs them with the request id and puts only that id here.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message tied to one form field (its `name`), shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input: a page-level message and the fields it concerns.
    /// `values` echoes what was typed into non-secret fields, so a form
    /// sent without JavaScript (which comes back through a redirect) can be
    /// filled in again; never passwords or codes.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<(String, String)>,
    },
    #[error("Страница не найдена")]
    NotFound,
    /// Sign-in refused: too many wrong passwords in a row. `until` is the
    /// local time the lock ends, as a person reads it («14:35 по московскому времени»).
    #[error(
        "Вход временно заблокирован после нескольких неверных попыток ввода пароля. Попробуйте снова после {until} или восстановите пароль — это снимет блокировку сразу"
    )]
    Locked { until: String },
    #[error("Войдите в личный кабинет, чтобы продолжить")]
    Unauthorized,
    #[error("Недостаточно прав для этого действия")]
    Forbidden,
    /// The account's level is below what the page or action needs;
    /// `needed` is the level's name («Стандартная»), `message` says how to
    /// reach it (`auth::Level::needed_message`).
    #[error("{message}")]
    LevelTooLow { needed: String, message: String },
    /// A staff page before a strong second step was set up or passed.
    #[error(
        "Для работы в кабинете сотрудника нужен второй шаг входа: приложение-аутентификатор или ключ доступа (SMS для сотрудников не подходит)"
    )]
    SecondStepRequired,
    #[error("Слишком много попыток. Повторите позже")]
    TooManyRequests,
    #[error("Сервис временно недоступен. Повторите попытку через несколько минут")]
    Unavailable,
    /// Something broke on our side; the id lets support find the log lines.
    #[error("Внутренняя ошибка сервера. Код запроса: {request_id}")]
    Internal { request_id: String },
    /// The request did not reach the server or its answer did not come back.
    #[error("Нет связи с сервером. Проверьте подключение к интернету и повторите попытку")]
    Network,
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid { message: message.into(), fields: Vec::new(), values: Vec::new() }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Invalid {
            message: message.clone(),
            fields: vec![FieldError { field: field.into(), message }],
            values: Vec::new(),
        }
    }

    /// A form error: several fields, each with its message; the page-level
    /// message is the first one.
    pub fn fields(fields: Vec<(&str, String)>) -> Self {
        let message = fields.first().map(|(_, m)| m.clone()).unwrap_or_default();
        AppError::Invalid {
            message,
            fields: fields.into_iter().map(|(f, m)| FieldError { field: f.to_string(), message: m }).collect(),
            values: Vec::new(),
        }
    }

    /// Adds the typed values of non-secret fields (see `Invalid`).
    pub fn with_values(mut self, typed: &[(&str, &str)]) -> Self {
        if let AppError::Invalid { values, .. } = &mut self {
            *values = typed.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        }
        self
    }

    /// A value echoed back for field `name`.
    pub fn value(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { values, .. } => values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { fields, .. } => fields.iter().find(|f| f.field == field).map(|f| f.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::SecondStepRequired | AppError::LevelTooLow { .. } => 403,
            AppError::NotFound => 404,
            AppError::TooManyRequests | AppError::Locked { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal { .. } | AppError::Network => 500,
        }
    }
}

/// A request the server could not read (a broken form body).
pub const BAD_REQUEST: &str = "Неверный запрос. Обновите страницу и отправьте форму ещё раз";

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server a request or body it cannot read is the client's
        // fault (400, logged as such); in the browser the same errors mean
        // the answer never came or came garbled: network trouble.
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Request(e) | ServerFnErrorErr::Deserialization(e) = &value {
            tracing::info!(request_id = %crate::platform::request::current_request_id(), "unreadable request: {e}");
            return AppError::invalid(BAD_REQUEST);
        }
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => AppError::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::invalid("Форма заполнена не полностью. Проверьте поля и отправьте ещё раз")
            }
            _ => AppError::Internal { request_id: String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_is_found_by_field_name() {
        let e = AppError::field("phone", "Неверный номер");
        assert_eq!(e.field_message("phone").as_deref(), Some("Неверный номер"));
        assert_eq!(e.field_message("email"), None);
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn on_the_server_an_unreadable_request_is_the_clients_fault() {
        for err in [ServerFnErrorErr::Request("x".into()), ServerFnErrorErr::Deserialization("x".into())] {
            let e = AppError::from_server_fn_error(err);
            assert_eq!(e, AppError::invalid(BAD_REQUEST));
            assert_eq!(e.status(), 400);
        }
    }
}
