//! «Это был не я»: the link from a security notice. Opening it changes
//! nothing (mail scanners open links); its one button ends every session
//! and suspends sign-in until the password is recovered.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::security::api::{NotMe, check_not_me};
use crate::ui::form::{FormError, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant};

#[component]
pub fn NotMePage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("t").unwrap_or_default());
    // The button's redirect comes back to this page with `done`: follow it.
    let done = move || query.with(|q| q.get("done").is_some());
    let live = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_not_me,
    );
    let action = ServerAction::<NotMe>::new();
    let error = last_error(action.value());
    view! {
        <Title text="Это был не я" />
        <div class="container narrow section">
            <h1>"Это был не я"</h1>
            {move || if done() {
                view! {
                    <Alert kind=AlertKind::Success id="not-me-done">
                        <p>"Все сеансы завершены, вход в кабинет приостановлен. Чтобы войти снова, восстановите пароль: код придёт на ваш телефон или почту."</p>
                    </Alert>
                    <p><a class="btn btn-primary" href="/recover">"Восстановить пароль"</a></p>
                    <p>"Если вы не узнаёте изменений в кабинете, обратитесь в " <a href="/help">"службу поддержки"</a> "."</p>
                }.into_any()
            } else {
                let token = token.clone();
                view! {
                    <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                        {move || {
                            let token = token.clone();
                            Suspend::new(async move {
                                match live.await {
                                    Ok(true) => view! {
                                        <p class="lead">"Если вы не входили в кабинет и ничего не меняли, нажмите кнопку ниже. Все сеансы на всех устройствах сразу завершатся, а войти можно будет только после восстановления пароля."</p>
                                        <FormError error />
                                        <ActionForm action>
                                            <input type="hidden" name="t" value=token />
                                            <Button variant=ButtonVariant::Danger busy=action.pending()>"Это был не я — завершить все сеансы"</Button>
                                        </ActionForm>
                                    }.into_any(),
                                    Ok(false) => view! {
                                        <Alert kind=AlertKind::Error id="not-me-gone">
                                            <p>{crate::auth::model::LINK_GONE}</p>
                                        </Alert>
                                        <p><a href="/recover">"Восстановить пароль"</a></p>
                                    }.into_any(),
                                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                                }
                            })
                        }}
                    </Suspense>
                }.into_any()
            }}
        </div>
    }
}
