//! The bell in the header: a link to `/notifications` named «Уведомления,
//! N непрочитанных», for a signed-in citizen. The count comes with «who is
//! signed in» (`auth::dto::Me::unread`): no request of its own, and none
//! at all for an anonymous visitor.

use leptos::prelude::*;

use crate::auth::pages::use_me;
use crate::notify::model::bell_label;

#[component]
pub fn Bell() -> impl IntoView {
    let me = use_me();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) if !m.is_staff() && !m.must_change_password => {
                        let n = m.unread;
                        Some(view! {
                            <a href="/notifications" class="nav-link nav-bell" id="bell" aria-label=bell_label(n) data-unread=n.to_string()>
                                <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" focusable="false">
                                    <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
                                </svg>
                                {(n > 0).then(|| view! { <span class="bell-count" aria-hidden="true">{if n > 99 { "99+".to_string() } else { n.to_string() }}</span> })}
                            </a>
                        })
                    }
                    _ => None,
                }
            })}
        </Suspense>
    }
}
