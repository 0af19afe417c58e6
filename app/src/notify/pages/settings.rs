//! `/settings/notifications` «Настройки» → «Уведомления» (spec 003
//! «Настройка уведомлений»): for each type of notice, which channels it
//! goes by; security notices are always on and the page says so. A
//! channel whose contact is not confirmed is shown with what to do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::pages::RequireSignIn;
use crate::notify::api::{SaveSettings, get_settings};
use crate::notify::dto::SettingsView;
use crate::notify::model::{NoticeChannel, NoticeKind, Settings};
use crate::ui::{Alert, AlertKind, Button, FormError, last_error};

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    view! {
        <Title text="Настройка уведомлений" />
        <RequireSignIn>
            <SettingsBody />
        </RequireSignIn>
    }
}

#[component]
fn SettingsBody() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveSettings>::new();
    let view_data = Resource::new(move || (query.get(), save.version().get()), |_| get_settings());
    let saved = move || query.with(|q| q.get("saved").is_some()) || save.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
        <div class="container section notify-settings">
            <p class="breadcrumbs"><a href="/notifications">"Уведомления"</a></p>
            <h1>"Настройка уведомлений"</h1>
            <p class="lead">"Выберите, о чём и как сообщать. Все уведомления в любом случае видны в разделе «Уведомления» на портале."</p>
            <Alert kind=AlertKind::Info id="security-always">
                <p>"Уведомления безопасности — о входе с нового устройства, смене пароля, телефона или почты — приходят всегда, на все подтверждённые контакты, и не отключаются."</p>
            </Alert>
            {move || saved().then(|| view! {
                <Alert kind=AlertKind::Success id="settings-notice"><p>"Настройки уведомлений сохранены."</p></Alert>
            })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(v) => view! { <SettingsForm v save /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SettingsForm(v: SettingsView, save: ServerAction<SaveSettings>) -> impl IntoView {
    let error = last_error(save.value());
    let SettingsView { settings, channels } = v;
    let notes = channels.clone();
    view! {
        <section class="card profile-section" aria-labelledby="channels-title">
            <h2 id="channels-title">"Каналы"</h2>
            <dl class="data-list channel-notes" id="channel-notes">
                {notes.into_iter().map(|c| view! {
                    <dt>{c.channel.label()}</dt>
                    <dd id=format!("note-{}", c.channel.as_str()) class:field-error=!c.ready>{c.note}</dd>
                }).collect_view()}
            </dl>
        </section>
        <FormError error />
        <ActionForm action=save attr:class="form notify-form" attr:id="notify-settings">
            {NoticeKind::ALL.into_iter().enumerate().map(|(i, k)| view! { <KindFieldset i k settings /> }).collect_view()}
            <Button busy=save.pending()>"Применить"</Button>
        </ActionForm>
    }
}

#[component]
fn KindFieldset(i: usize, k: NoticeKind, settings: Settings) -> impl IntoView {
    view! {
        <fieldset class="card notify-kind" id=format!("kind-{}", k.as_str())>
            <legend class="notify-kind-title">{k.label()}</legend>
            <div class="notify-channels">
                {NoticeChannel::ALL.into_iter().enumerate().map(|(j, c)| {
                    let id = format!("{}-{}", k.as_str(), c.as_str());
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=id.clone() name=format!("on[{}]", i * 3 + j)
                                value=Settings::box_value(k, c) checked=settings.wants(k, c)
                                aria-describedby=format!("note-{}", c.as_str()) />
                            <label for=id>{c.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
