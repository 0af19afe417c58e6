//! The second step at sign-in (spec 003: «На экране появится запрос кода»):
//! the code of the chosen method, the other methods, and what to do when
//! none is at hand.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::api::SendCode;
use crate::auth::pages::{CodeField, CodeHelp};
use crate::security::api::{ConfirmSecondStep, get_second_step};
use crate::security::dto::SecondStep;
use crate::ui::{Alert, AlertKind, Button};

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let query = use_query_map();
    let flow = move || query.with(|q| q.get("flow").unwrap_or_default());
    let method = move || query.with(|q| q.get("method"));
    // «Получить код по SMS» changes what the page shows: follow its version.
    let send = ServerAction::<SendCode>::new();
    let step = Resource::new(move || (flow(), method(), send.version().get()), |(f, m, _)| get_second_step(f, m));
    view! {
        <Title text="Подтверждение входа" />
        <div class="container narrow section">
            <h1>"Подтверждение входа"</h1>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match step.await {
                        Ok(s) => view! { <StepView s flow=flow() send /> }.into_any(),
                        Err(e) => view! {
                            <Alert kind=AlertKind::Error id="flow-error">
                                <p>{e.to_string()}</p>
                                <p><a href="/login">"Войти заново"</a></p>
                            </Alert>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn StepView(s: SecondStep, flow: String, send: ServerAction<SendCode>) -> impl IntoView {
    let confirm = ServerAction::<ConfirmSecondStep>::new();
    let error = crate::ui::form::last_error(confirm.value());
    let others: Vec<(String, String)> = s.methods.iter().filter(|(m, _)| *m != s.method).cloned().collect();
    let lead = match s.method.as_str() {
        "totp" => "Введите 6-значный код из приложения-генератора кодов (Google Authenticator, Яндекс Ключ и других)."
            .to_string(),
        "sms" if s.sms_sent => {
            format!("Введите код из SMS, отправленного на номер {}.", s.phone.clone().unwrap_or_default())
        }
        "sms" => format!("Мы отправим код в SMS на номер {}.", s.phone.clone().unwrap_or_default()),
        "backup" => {
            format!("Введите один из резервных кодов, которые вы сохранили. Осталось кодов: {}.", s.backup_left)
        }
        _ => "Подтвердите вход ключом доступа на этом устройстве.".to_string(),
    };
    let needs_send = s.method == "sms" && !s.sms_sent;
    let code_form = (s.method != "passkey" && !needs_send).then(|| {
        let flow = flow.clone();
        let method = s.method.clone();
        let method_is_backup = method == "backup";
        let (label, hint) = match method.as_str() {
            "backup" => ("Резервный код", "Например, abcde-23456"),
            "totp" => ("Код из приложения", "6 цифр, меняются каждые 30 секунд"),
            _ => ("Код подтверждения", "6 цифр из SMS"),
        };
        view! {
            <ActionForm action=confirm attr:novalidate=true attr:class="form">
                <input type="hidden" name="flow" value=flow />
                <input type="hidden" name="method" value=method />
                <CodeField error label hint letters=method_is_backup />
                <div class="form-actions">
                    <Button busy=confirm.pending()>"Подтвердить"</Button>
                </div>
            </ActionForm>
        }
    });
    let send_error = crate::ui::form::last_error(send.value());
    let send_form = needs_send.then(|| {
        let flow = flow.clone();
        view! {
            <crate::ui::form::FormError error=send_error />
            <ActionForm action=send attr:class="form">
                <input type="hidden" name="flow" value=flow />
                <input type="hidden" name="channel" value="sms" />
                <div class="form-actions">
                    <Button busy=send.pending()>"Получить код по SMS"</Button>
                </div>
            </ActionForm>
        }
    });
    let passkey = (s.method == "passkey")
        .then(|| view! { <crate::security::passkeys::pages::PasskeySecondStep flow=flow.clone() /> });
    let help =
        (s.method == "sms" && s.sms_sent).then(|| view! { <CodeHelp flow=flow.clone() restart_href="/login" /> });
    view! {
        <p class="lead" id="second-lead">{lead}</p>
        <crate::ui::form::FormError error=Signal::derive(move || error.get().filter(|e| e.field_message("code").is_none())) />
        {code_form}
        {send_form}
        {passkey}
        {help}
        {(!others.is_empty()).then(|| {
            let flow = flow.clone();
            view! {
                <section class="card other-methods" aria-labelledby="other-title">
                    <h2 id="other-title">"Другой способ подтверждения"</h2>
                    <ul class="link-list">
                        {others.into_iter().map(|(m, label)| {
                            let href = format!("/login/second?flow={flow}&method={m}");
                            view! { <li><a href=href>{label}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
        <section class="code-help" aria-labelledby="lost-title">
            <h2 id="lost-title">"Нет доступа ни к одному способу?"</h2>
            <p>
                "Войдите с помощью резервного кода, если вы его сохранили. Если резервных кодов нет, обратитесь в "
                <a href="/help">"службу поддержки"</a>
                " или в любой центр обслуживания (МФЦ) с паспортом: после проверки личности двухэтапную проверку отключат, и вы сможете войти по паролю."
            </p>
        </section>
        <p class="form-aside"><a href="/login">"Войти под другой учётной записью"</a></p>
    }
}
