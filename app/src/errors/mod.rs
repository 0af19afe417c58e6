//! Pages for things that went wrong: 404, 500 (with the request id and the
//! advice of spec 000 §2.4) and «Сервис недоступен». The 500 and 503 pages
//! are also rendered as whole documents by server layers (a panic, a
//! database that does not answer), where no Leptos route runs.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Страница не найдена" />
        <div class="container page-message">
            <p class="page-code" aria-hidden="true">"404"</p>
            <h1>"Страница не найдена"</h1>
            <p>"Возможно, в адресе опечатка или страница была перемещена."</p>
            <p class="actions">
                <a href="/" class="btn btn-primary">"На главную"</a>
                <a href="/help" class="btn btn-secondary">"Помощь"</a>
            </p>
        </div>
    }
}

#[component]
pub fn ServerErrorPage(#[prop(into)] request_id: String) -> impl IntoView {
    view! {
        <div class="container page-message">
            <p class="page-code" aria-hidden="true">"500"</p>
            <h1>"Ошибка 500: внутренняя ошибка сервера"</h1>
            <p>"Мы уже знаем о сбое. Введённые данные на других вкладках не потеряны."</p>
            {(!request_id.is_empty()).then(|| view! {
                <p class="request-id">"Код ошибки: " <code>{request_id.clone()}</code></p>
            })}
            <h2>"Что можно сделать"</h2>
            <ul class="advice">
                <li>"Повторите попытку через несколько минут; если объявлено техническое обслуживание, дождитесь его завершения."</li>
                <li>"Очистите кэш и файлы cookie браузера, при необходимости перезапустите браузер."</li>
                <li>"Откройте портал в поддерживаемом браузере последней версии: Chrome, Firefox, Edge или Safari."</li>
                <li>"Если ошибка повторяется, обратитесь в службу поддержки и сообщите код ошибки и время её возникновения."</li>
            </ul>
            <p class="actions">
                <a href="/" class="btn btn-primary">"На главную"</a>
                <a href="/help" class="btn btn-secondary">"Служба поддержки"</a>
            </p>
        </div>
    }
}

#[component]
pub fn UnavailablePage() -> impl IntoView {
    view! {
        <div class="container page-message">
            <p class="page-code" aria-hidden="true">"503"</p>
            <h1>"Сервис недоступен"</h1>
            <p>"Портал временно не может обработать запрос: идут технические работы или сбой на нашей стороне. Ваши данные в безопасности."</p>
            <ul class="advice">
                <li>"Повторите попытку через несколько минут — страница обновится сама."</li>
                <li>"Если вы заполняли форму на другой вкладке, не закрывайте её: данные сохранятся."</li>
                <li>"При постоянных ошибках обратитесь в службу поддержки и укажите время возникновения."</li>
            </ul>
            <p class="actions"><a href="" class="btn btn-primary">"Обновить страницу"</a></p>
        </div>
    }
}

/// Shows an error from a server function the way a person should see it.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_status(error.status());
    match error {
        AppError::NotFound => view! { <NotFoundPage /> }.into_any(),
        AppError::Internal { request_id } => view! { <ServerErrorPage request_id /> }.into_any(),
        AppError::Unavailable => view! { <UnavailablePage /> }.into_any(),
        AppError::LevelTooLow { needed, message } => view! {
            <div class="container page-message">
                <h1>{format!("Нужна учётная запись уровня «{needed}»")}</h1>
                <p role="alert">{message}</p>
                <p class="actions"><a href="/profile#level" class="btn btn-primary">"Повысить уровень"</a></p>
            </div>
        }
        .into_any(),
        other => view! {
            <div class="container page-message">
                <h1>"Не удалось открыть страницу"</h1>
                <p role="alert">{other.to_string()}</p>
                <p class="actions"><a href="/" class="btn btn-primary">"На главную"</a></p>
            </div>
        }
        .into_any(),
    }
}

/// A complete HTML document for a failure outside the router: `404`,
/// `500` (with the request id) or `503`. Plain markup, same stylesheet, no
/// scripts: it must render even when everything else is broken.
#[cfg(feature = "ssr")]
pub fn error_document(status: u16, request_id: &str) -> String {
    use leptos::tachys::view::RenderHtml;
    let owner = Owner::new();
    let (title, body) = owner.with(|| {
        if status == 503 {
            ("Сервис недоступен", view! { <UnavailablePage /> }.to_html())
        } else if status == 404 {
            ("Страница не найдена", view! { <NotFoundPage /> }.to_html())
        } else {
            let request_id = request_id.to_string();
            ("Ошибка 500", view! { <ServerErrorPage request_id /> }.to_html())
        }
    });
    let css = crate::stylesheet_href();
    let refresh = if status == 503 { r#"<meta http-equiv="refresh" content="30">"# } else { "" };
    format!(
        r#"<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}<title>{title} — Госпортал</title><link rel="stylesheet" href="{css}"></head><body><header class="header"><div class="container header-inner"><a href="/" class="brand"><span class="brand-mark" aria-hidden="true"></span><span class="brand-name">Госпортал</span></a></div></header><main id="main" class="main">{body}</main></body></html>"#
    )
}
