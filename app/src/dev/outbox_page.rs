use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::errors::ErrorView;

/// One message as the dev outbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    /// «SMS», «E-mail» or «Звонок».
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

#[server(endpoint = "dev_outbox")]
pub async fn dev_outbox() -> Result<Vec<OutboxItem>, AppError> {
    use crate::platform::{app_state, outbox};
    let state = app_state()?;
    // Dev mode only, and only to this machine: a dev portal listening on a
    // network must not hand out everyone's codes.
    // The client itself (behind a trusted local proxy, not the proxy).
    let local = crate::platform::request::peer_ip().is_some()
        && crate::platform::request::client_ip().parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !state.config.mode.is_dev() || !local {
        return Err(AppError::NotFound);
    }
    Ok(outbox::latest(&state.db, 1000)
        .await?
        .into_iter()
        .map(|e| OutboxItem {
            id: e.id,
            channel: e.channel,
            recipient: e.recipient,
            subject: e.subject,
            body: e.body,
            status: e.status,
            created_at: e.created_at,
        })
        .collect())
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| dev_outbox());
    view! {
        <Title text="Исходящие сообщения" />
        <Suspense fallback=|| ()>
            {move || items.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e /> }.into_any(),
                Ok(list) => view! { <OutboxList list /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn OutboxList(list: Vec<OutboxItem>) -> impl IntoView {
    view! {
        <div class="container section">
            <h1>"Исходящие сообщения"</h1>
            <p class="muted">"Режим разработки: SMS, письма и звонки не отправляются, а сохраняются здесь. Новые — сверху."</p>
            <p><a href="/dev/outbox" class="btn btn-secondary">"Обновить"</a></p>
            {if list.is_empty() {
                view! { <p>"Сообщений пока нет."</p> }.into_any()
            } else {
                view! {
                    <ol class="outbox" aria-label="Сообщения">
                        {list.into_iter().map(|m| view! {
                            <li class="outbox-item" data-channel=m.channel.clone()>
                                <p class="outbox-meta">
                                    <span class="badge">{m.channel.clone()}</span>
                                    " "
                                    <span class="outbox-to">{m.recipient.clone()}</span>
                                    " · " <time>{m.created_at.clone()}</time>
                                    " · " {m.status.clone()}
                                </p>
                                {m.subject.clone().map(|s| view! { <p class="outbox-subject">{s}</p> })}
                                <p class="outbox-body">{m.body.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}
