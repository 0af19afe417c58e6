//! Who is signed in, for every page: fetched as the page renders on the
//! server (so signed-in pages never flash the signed-out header), again on
//! every navigation (sign-in and sign-out navigate too). Also the idle timer with
//! its warning and «Продлить».

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::auth::api::{ExtendSession, SignOut, get_me};
use crate::auth::dto::Me;
use crate::auth::{Level, Role};
use crate::error::AppError;
use crate::format::encode_component;
use crate::ui::{Button, ButtonVariant, Modal};

pub type MeResource = Resource<Result<Option<Me>, AppError>>;

pub fn provide_me() -> MeResource {
    // Sign-in, sign-out and timeouts all end on another path, so following
    // the path is enough to keep the header right.
    let location = use_location();
    let me = Resource::new(move || location.pathname.get(), |_| get_me());
    provide_context(me);
    me
}

pub fn use_me() -> MeResource {
    use_context::<MeResource>().unwrap_or_else(|| Resource::new(|| (), |_| get_me()))
}

/// What a guard does with the person signed in.
enum Gate {
    Open,
    Go(&'static str),
    Forbidden,
    Level(Level),
}

/// The page of a guard: «Загрузка…», then `children`, a redirect, «Войти»
/// (and back here afterwards) for a signed-out visitor, or the 403 page.
fn guarded(children: ChildrenFn, decide: impl Fn(&Me) -> Gate + Copy + Send + Sync + 'static) -> impl IntoView {
    let me = use_me();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="container section">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) => match decide(&m) {
                        Gate::Open => children.with_value(|c| c()).into_any(),
                        Gate::Go(path) => view! { <Redirect path /> }.into_any(),
                        Gate::Forbidden => view! { <Forbidden /> }.into_any(),
                        Gate::Level(needed) => view! { <LevelNeeded needed current=m.level /> }.into_any(),
                    },
                    Ok(None) => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        let path = format!("/login?next={}", encode_component(&here));
                        view! { <Redirect path /> }.into_any()
                    }
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Renders `children` for a signed-in person; otherwise sends them to
/// «Войти» (and back here afterwards), or to the expired-password page.
#[component]
pub fn RequireSignIn(#[prop(optional)] allow_expired_password: bool, children: ChildrenFn) -> impl IntoView {
    guarded(children, move |m| {
        if m.must_change_password && !allow_expired_password { Gate::Go("/password/expired") } else { Gate::Open }
    })
}

/// Renders `children` for a signed-in person whose account is at `needed`
/// or higher; a lower level sees which level the page needs, what it
/// opens and the button to the next step. The server functions behind the
/// page check the same (`Caller::require_level`).
#[component]
pub fn LevelGate(needed: Level, children: ChildrenFn) -> impl IntoView {
    guarded(children, move |m| {
        if m.must_change_password {
            Gate::Go("/password/expired")
        } else if m.level < needed {
            Gate::Level(needed)
        } else {
            Gate::Open
        }
    })
}

/// What a page that needs a higher level shows instead of itself.
#[component]
pub fn LevelNeeded(needed: Level, current: Level) -> impl IntoView {
    // The next step from where the person is: «Стандартная» first, then «Подтверждённая».
    let step = current.next().unwrap_or(needed);
    view! {
        <div class="container narrow section">
            <section class="card level-needed" aria-labelledby="level-needed-title">
                <h1 id="level-needed-title">{format!("Нужна учётная запись уровня «{}»", needed.label())}</h1>
                <p>{format!("Сейчас у вас уровень «{}». Уровень «{}» открывает: {}.", current.label(), needed.label(), needed.opens().to_lowercase())}</p>
                <p>{step.how_to_reach()}</p>
                <p class="actions">
                    <a class="btn btn-primary" href=step.reach_href()>{if step == Level::Standard { "Подтвердить личность" } else { "Как подтвердить в МФЦ" }}</a>
                    <a href="/profile">"Личные данные"</a>
                </p>
            </section>
        </div>
    }
}

/// Renders `children` for a staff member holding `role` (any role when
/// None) whose session passed a strong second step. Anyone else: «Войти»
/// when signed out, the expired-password page, the second-step set-up page
/// for staff without an app or passkey, and a 403 page for everyone else.
/// The server functions behind the pages check the same on their own.
#[component]
pub fn RequireStaff(#[prop(optional)] role: Option<Role>, children: ChildrenFn) -> impl IntoView {
    guarded(children, move |m| {
        if m.must_change_password {
            Gate::Go("/password/expired")
        } else if !m.is_staff() || role.is_some_and(|r| !m.roles.contains(&r)) {
            Gate::Forbidden
        } else if !m.strong {
            Gate::Go("/security/2fa?staff=1")
        } else {
            Gate::Open
        }
    })
}

/// «Недостаточно прав» with a 403 status when rendered on the server.
#[component]
fn Forbidden() -> impl IntoView {
    crate::errors::set_status(403);
    view! {
        <leptos_meta::Title text="Недостаточно прав" />
        <div class="container page-message">
            <p class="page-code" aria-hidden="true">"403"</p>
            <h1>"Недостаточно прав"</h1>
            <p>"Эта страница доступна только сотрудникам с соответствующей ролью."</p>
            <p class="actions">
                <a href="/" class="btn btn-primary">"На главную"</a>
                <a href="/profile" class="btn btn-secondary">"Личный кабинет"</a>
            </p>
        </div>
    }
}

/// The header's right side: «Войти», or the person's name, their pages and «Выйти».
#[component]
pub fn AccountMenu() -> impl IntoView {
    let me = use_me();
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <Suspense fallback=|| view! { <a href="/login" class="btn btn-primary nav-login">"Войти"</a> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) => view! {
                        {m.is_staff().then(|| view! { <a href="/staff" class="nav-link">"Кабинет сотрудника"</a> })}
                        {(!m.is_staff()).then(|| view! {
                            <a href="/applications" class="nav-link">"Мои заявления"</a>
                            <a href="/payments" class="nav-link">"Платежи"</a>
                        })}
                        <a href="/profile" class="nav-link nav-user">{m.short_name}</a>
                        <a href="/security" class="nav-link">"Безопасность"</a>
                        <ActionForm action=sign_out attr:class="nav-signout">
                            <button type="submit" class="btn btn-secondary">"Выйти"</button>
                        </ActionForm>
                    }
                    .into_any(),
                    _ => view! { <a href="/login" class="btn btn-primary nav-login">"Войти"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Warns `warn_before` seconds before an idle session ends and offers
/// «Продлить»; when it has ended, goes to «Войти» with a note. Browser only:
/// without JavaScript the server still ends the session on time.
#[component]
pub fn SessionTimer() -> impl IntoView {
    let me = use_me();
    // Seconds left, counted down in the browser from the server's figure.
    let left = RwSignal::new(None::<i64>);
    let warn_before = RwSignal::new(300i64);
    let open = RwSignal::new(false);
    // Shown once per countdown: closing the dialog is an answer too.
    let warned = RwSignal::new(false);
    let extend = ServerAction::<ExtendSession>::new();
    let sign_out = ServerAction::<SignOut>::new();

    Effect::new(move |_| {
        if let Some(Ok(m)) = me.get() {
            left.set(m.as_ref().map(|m| m.expires_in));
            if let Some(m) = m {
                warn_before.set(m.warn_before);
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = extend.value().get() {
            left.set(m.map(|m| m.expires_in));
            open.set(false);
            warned.set(false);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                let Some(l) = left.get_untracked() else { return };
                let l = l - 1;
                left.set(Some(l));
                if l == 0 {
                    // End it on the server too, then «Войти» with a note.
                    sign_out.dispatch(SignOut { reason: Some("timeout".to_string()) });
                } else if l <= warn_before.get_untracked() && !warned.get_untracked() {
                    warned.set(true);
                    open.set(true);
                }
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let minutes = move || {
        let l = left.get().unwrap_or(0).max(0);
        format!("{}:{:02}", l / 60, l % 60)
    };
    view! {
        <Modal open id="session-warning" title="Сеанс скоро завершится">
            <p>
                "Вы давно ничего не делали. Через "
                <strong>{minutes}</strong>
                " сеанс завершится и понадобится войти снова. Несохранённые данные могут пропасть."
            </p>
            <div class="form-actions">
                <Button kind="button" on_click=Callback::new(move |_| { extend.dispatch(ExtendSession {}); })>
                    "Продлить"
                </Button>
                <ActionForm action=sign_out>
                    <Button variant=ButtonVariant::Secondary>"Выйти"</Button>
                </ActionForm>
            </div>
        </Modal>
    }
}
