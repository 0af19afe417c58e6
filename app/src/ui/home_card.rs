use leptos::prelude::*;

/// A card of the personal home («Личный кабинет»): a part of the account
/// with its count and its link. An area that does not exist yet shows
/// `soon` («Скоро», no link, no count). Cards go inside
/// `home::PersonalHome`, composed in `lib.rs`:
///
/// ```ignore
/// <ui::HomeCard title="Мои заявления" href="/applications" count=Some(2)
///     note="Требуют действий: 1 · черновик удалится через 3 дня" id="card-applications" />
/// ```
#[component]
pub fn HomeCard(
    #[prop(into)] title: String,
    /// Where the card leads (ignored when `soon`).
    #[prop(optional, into)]
    href: Option<String>,
    /// The number shown big (items, things to do); none when unknown.
    #[prop(default = None)]
    count: Option<u32>,
    /// One line under it: what the count means, what needs doing.
    #[prop(optional, into)]
    note: Option<String>,
    /// The area comes later: «Скоро», and no fake counts.
    #[prop(optional)]
    soon: bool,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let heading = match href.filter(|_| !soon) {
        Some(h) => view! { <a href=h class="card-link">{title}</a> }.into_any(),
        None => view! { <span>{title}</span> }.into_any(),
    };
    view! {
        <li class="card home-card" class:home-card-soon=soon id=id>
            <h3 class="card-title home-card-title">{heading}</h3>
            {match (soon, count) {
                (true, _) => Some(view! { <p class="home-card-count"><span class="badge">"Скоро"</span></p> }.into_any()),
                (false, Some(n)) => Some(view! { <p class="home-card-count"><span class="home-card-number">{n}</span></p> }.into_any()),
                (false, None) => None,
            }}
            {note.map(|n| view! { <p class="home-card-note">{n}</p> })}
        </li>
    }
}
