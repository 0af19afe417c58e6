//! «Не пришёл код?» (spec 000 §2.5) under every code form: where the code
//! went, how long it is valid, resend after the cooldown, the other channel,
//! a voice call, and the support contacts.

use leptos::prelude::*;

use crate::auth::api::{SendCode, get_flow};
use crate::error::AppError;
use crate::ui::TextField;
use crate::ui::form::{field_error, last_error};
use crate::ui::{Alert, AlertKind};

fn mm_ss(secs: i64) -> String {
    let s = secs.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

#[component]
pub fn CodeHelp(flow: String, restart_href: &'static str) -> impl IntoView {
    let send = ServerAction::<SendCode>::new();
    let send_error = last_error(send.value());
    let flow_for_fetch = flow.clone();
    let info = Resource::new(move || send.version().get(), move |_| get_flow(flow_for_fetch.clone()));
    let resend_left = RwSignal::new(0i64);
    let expires_left = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                resend_left.update(|s| *s = (*s - 1).max(0));
                expires_left.update(|s| *s = (*s - 1).max(0));
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let flow = StoredValue::new(flow);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => view! {
                        <Alert kind=AlertKind::Error id="flow-error">
                            <p>{e.to_string()}</p>
                            <p><a href=restart_href>"Начать заново"</a></p>
                        </Alert>
                    }.into_any(),
                    Ok(v) => {
                        resend_left.set(v.resend_in);
                        expires_left.set(v.code_expires_in);
                        let same = if v.channel == "email" { "email" } else { "sms" };
                        let other = v.other_channel.clone();
                        view! {
                            <p class="code-sent" id="code-sent">"Мы отправили код " {v.destination.clone()} "."</p>
                            <p class="code-timer" aria-live="off">
                                {move || if expires_left.get() > 0 {
                                    format!("Код действует ещё {}", mm_ss(expires_left.get()))
                                } else {
                                    "Срок действия кода истёк — запросите новый".to_string()
                                }}
                            </p>
                            <section class="code-help" aria-labelledby="no-code-title">
                                <h2 id="no-code-title">"Не пришёл код?"</h2>
                                <p class="field-error" id="send-error" role="alert" hidden=move || send_error.with(Option::is_none)>
                                    {move || send_error.get().map(|e| e.field_message("code").unwrap_or_else(|| e.to_string()))}
                                </p>
                                <p class="field-hint" aria-live="polite">
                                    {move || (resend_left.get() > 0).then(|| format!("Новый код можно запросить через {} с", resend_left.get()))}
                                </p>
                                <div class="code-actions">
                                    <ActionForm action=send>
                                        <input type="hidden" name="flow" value=flow.get_value() />
                                        <input type="hidden" name="channel" value=same />
                                        <button type="submit" class="btn btn-secondary" disabled=move || { resend_left.get() > 0 }>
                                            "Отправить код ещё раз"
                                        </button>
                                    </ActionForm>
                                    {other.map(|other| {
                                        let label = if other == "email" { "Отправить код на электронную почту" } else { "Отправить код по SMS" };
                                        view! {
                                            <ActionForm action=send>
                                                <input type="hidden" name="flow" value=flow.get_value() />
                                                <input type="hidden" name="channel" value=other />
                                                <button type="submit" class="btn btn-secondary" disabled=move || { resend_left.get() > 0 }>{label}</button>
                                            </ActionForm>
                                        }
                                    })}
                                    {v.voice.then(|| view! {
                                        <ActionForm action=send>
                                            <input type="hidden" name="flow" value=flow.get_value() />
                                            <input type="hidden" name="channel" value="voice" />
                                            <button type="submit" class="btn btn-secondary" disabled=move || { resend_left.get() > 0 }>
                                                "Получить код по телефону"
                                            </button>
                                        </ActionForm>
                                    })}
                                </div>
                                <p class="field-hint">
                                    "Проверьте, что номер или адрес указан верно, телефон в сети, а письмо не попало в «Спам». "
                                    "Если код так и не пришёл, обратитесь в "
                                    <a href="/help">"службу поддержки"</a>
                                    "."
                                </p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The «Код подтверждения» field of every code form; its error is the
/// submit's `code` field error.
#[component]
pub fn CodeField(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    /// Letters too (backup codes): no digits-only keyboard on a phone.
    #[prop(optional)]
    letters: bool,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    view! {
        <TextField
            id="code"
            name="code"
            label=label.unwrap_or("Код подтверждения")
            hint=hint.unwrap_or("6 цифр из SMS или письма")
            value=code
            autocomplete="one-time-code"
            inputmode=if letters { "text" } else { "numeric" }
            required=true
            maxlength=12u32
            error=field_error(error, "code")
        />
    }
}
