use leptos::prelude::*;

/// A panel with an optional heading. With `href` the heading is a link and
/// the whole card is clickable (the link's area is stretched by CSS).
#[component]
pub fn Card(
    children: Children,
    #[prop(optional, into)] title: Option<String>,
    #[prop(optional, into)] href: Option<String>,
    #[prop(optional, into)] class: Option<String>,
) -> impl IntoView {
    let class = format!("card {}", class.unwrap_or_default());
    let heading = title.map(|t| match href {
        Some(h) => view! { <h3 class="card-title"><a href=h class="card-link">{t}</a></h3> }.into_any(),
        None => view! { <h3 class="card-title">{t}</h3> }.into_any(),
    });
    view! {
        <section class=class>
            {heading}
            {children()}
        </section>
    }
}
