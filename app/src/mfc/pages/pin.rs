//! `/staff/mfc/pin?flow=…`: the PIN pad. The operator turns the screen to
//! the citizen, who types the code from their own phone: big keys, the
//! digits hidden as they are typed. Without JavaScript the field takes the
//! keyboard; with it the keys fill the field too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::Role;
use crate::auth::pages::RequireStaff;
use crate::mfc::api::{FinishCode, ResendCode, get_pin_pad};
use crate::mfc::dto::PinPad;
use crate::ui::form::{FormError, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant};

#[component]
pub fn PinPadPage() -> impl IntoView {
    view! {
        <Title text="Код подтверждения" />
        <RequireStaff role=Role::Operator>
            <PinBody />
        </RequireStaff>
    }
}

#[component]
fn PinBody() -> impl IntoView {
    let query = use_query_map();
    let flow = query.with_untracked(|q| q.get("flow").unwrap_or_default());
    let resent = query.with_untracked(|q| q.get("resent").is_some());
    let pad = Resource::new(|| (), {
        let flow = flow.clone();
        move |_| get_pin_pad(flow.clone())
    });
    view! {
        <div class="container narrow section pin-page">
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || {
                    let flow = flow.clone();
                    Suspend::new(async move {
                        match pad.await {
                            Ok(p) => view! { <Pad p flow resent /> }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Pad(p: PinPad, flow: String, resent: bool) -> impl IntoView {
    let confirm = ServerAction::<FinishCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let error = Signal::derive({
        let (a, b) = (last_error(confirm.value()), last_error(resend.value()));
        move || a.get().or_else(|| b.get())
    });
    let code = RwSignal::new(String::new());
    let code_error = field_error(error, "code");
    // A refused code is cleared: the citizen types the next one afresh.
    Effect::new(move |_| {
        if code_error.with(Option::is_some) {
            code.set(String::new());
        }
    });
    let flow2 = flow.clone();
    let press = move |d: char| {
        code.update(|c| {
            if c.len() < 6 {
                c.push(d)
            }
        })
    };
    let back = move |_| {
        code.update(|c| {
            c.pop();
        })
    };
    view! {
        <h1>{p.title.clone()}</h1>
        {resent.then(|| view! { <Alert kind=AlertKind::Info id="pin-resent"><p>"Новый код отправлен."</p></Alert> })}
        <p class="lead">{format!("{}, введите код, который пришёл вам: {}.", p.short_name, p.sent_to)}</p>
        <p class="field-hint">"Не называйте код оператору — введите его сами."</p>
        <FormError error=Signal::derive(move || error.get().filter(|e| e.field_message("code").is_none())) />
        <ActionForm action=confirm attr:novalidate=true attr:class="form pin-form">
            <input type="hidden" name="flow" value=flow />
            <div class="field" class:field-invalid=move || code_error.with(Option::is_some)>
                <label for="pin-code">"Код из сообщения"</label>
                <input
                    id="pin-code"
                    name="code"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="6"
                    class="pin-input"
                    aria-describedby="pin-code-error"
                    aria-invalid=move || code_error.with(Option::is_some).then_some("true")
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(crate::mfc::model::pin_digits(&event_target_value(&ev)))
                />
                <p class="field-error" id="pin-code-error" hidden=move || code_error.with(Option::is_none)>{move || code_error.get()}</p>
            </div>
            <div class="pin-keys" role="group" aria-label="Цифровая панель">
                {['1', '2', '3', '4', '5', '6', '7', '8', '9'].into_iter().map(|d| view! {
                    <button type="button" class="pin-key" on:click=move |_| press(d)>{d.to_string()}</button>
                }).collect_view()}
                <button type="button" class="pin-key" aria-label="Стереть цифру" on:click=back>"⌫"</button>
                <button type="button" class="pin-key" on:click=move |_| press('0')>"0"</button>
                <span></span>
            </div>
            <Button busy=confirm.pending()>"Подтвердить"</Button>
        </ActionForm>
        <ActionForm action=resend attr:class="form-aside">
            <input type="hidden" name="flow" value=flow2 />
            <Button variant=ButtonVariant::Secondary busy=resend.pending()>"Отправить код ещё раз"</Button>
        </ActionForm>
        <p class="form-aside"><a href=format!("/staff/mfc/visit?task={}", p.task)>"Отмена"</a></p>
    }
}
