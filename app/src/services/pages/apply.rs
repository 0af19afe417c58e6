//! `/services/:code/apply` (the start: level, steps, an existing draft) and
//! `/applications/:id/edit?step=N` (one step of a draft, then «Проверьте
//! данные» and «Отправить»). The step form posts whole (JavaScript or not)
//! and the draft on the server keeps what was typed, so nothing is lost by
//! a wrong value, a closed tab or a session that ended; with JavaScript the
//! draft is also saved as the person types, and a failed save says so and
//! is tried again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::fields::FormField;
use crate::auth::pages::{LevelNeeded, RequireSignIn};
use crate::services::api::{DeleteDraft, PostStep, StartApplication, SubmitApplication, get_apply_info, get_draft};
use crate::services::dto::DraftPage;
use crate::ui::{Alert, AlertKind};

#[component]
pub fn ApplyPage() -> impl IntoView {
    view! {
        <Title text="Получить услугу" />
        <RequireSignIn>
            <ApplyBody />
        </RequireSignIn>
    }
}

#[component]
fn ApplyBody() -> impl IntoView {
    let params = use_params_map();
    // «Обжаловать» on a charge opens the appeal with its УИН.
    let uin = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("uin")).filter(|u| u.len() <= 40);
    let info = Resource::new(move || params.with(|p| p.get("code").unwrap_or_default()), get_apply_info);
    view! {
        <Suspense fallback=|| view! { <p class="container">"Загрузка…"</p> }>
            {move || { let uin = uin.clone(); Suspend::new(async move {
                match info.await {
                    Ok(i) if !i.level_ok => view! { <LevelNeeded needed=i.level current=i.current /> }.into_any(),
                    Ok(i) => {
                        let start = ServerAction::<StartApplication>::new();
                        view! {
                            <Title text=i.title.clone() />
                            <div class="container narrow section apply">
                                <p class="breadcrumbs"><a href=format!("/services/{}", i.code)>{i.title.clone()}</a></p>
                                <h1>{i.title.clone()}</h1>
                                <p class="lead">"Заявление заполняется по шагам. Данные из профиля подставятся сами. Черновик сохраняется на портале: можно прерваться и вернуться в «Мои заявления»."</p>
                                <ol class="apply-steps">
                                    {i.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
                                    <li>"Проверьте данные и отправьте"</li>
                                </ol>
                                {(!i.documents.is_empty()).then(|| view! {
                                    <h2>"Понадобятся"</h2>
                                    <ul>{i.documents.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                                })}
                                {match i.draft.clone() {
                                    Some((key, saved)) => view! {
                                        <Alert kind=AlertKind::Info id="draft-exists">
                                            <p>{format!("У вас есть черновик этого заявления, сохранён {saved}.")}</p>
                                        </Alert>
                                        <p class="actions"><a class="btn btn-primary" id="continue-draft" href=format!("/applications/{key}/edit?step=0")>"Продолжить заполнение"</a></p>
                                    }.into_any(),
                                    None => view! {
                                        <ActionForm action=start attr:class="form">
                                            <input type="hidden" name="code" value=i.code.clone() />
                                            {uin.clone().map(|u| view! { <input type="hidden" name="uin" value=u /> })}
                                            <button type="submit" class="btn btn-primary" id="start-application">"Заполнить заявление"</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
pub fn DraftEditPage() -> impl IntoView {
    view! {
        <Title text="Заявление" />
        <RequireSignIn>
            <DraftBody />
        </RequireSignIn>
    }
}

#[component]
fn DraftBody() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let id = params.with(|p| p.get("id").unwrap_or_default());
            let (step, check) = query
                .with(|q| (q.get("step").and_then(|s| s.parse::<usize>().ok()).unwrap_or(0), q.get("check").is_some()));
            (id, step, check)
        },
        |(id, step, check)| get_draft(id, step, check),
    );
    view! {
        <Suspense fallback=|| view! { <p class="container">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Draft p /> }.into_any(),
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StepBar(p: DraftPage) -> impl IntoView {
    let total = p.steps.len();
    let mut titles = p.steps.clone();
    titles.push("Проверьте данные".into());
    view! {
        <ol class="stepper" aria-label="Шаги заявления">
            {titles.into_iter().enumerate().map(|(i, t)| {
                let current = i == p.step;
                let href = format!("/applications/{}/edit?step={i}", p.key);
                view! {
                    <li class="stepper-item" class:current=current class:done={i < p.step}
                        aria-current=current.then_some("step")>
                        {if i < p.step && i <= total {
                            view! {
                                <a href=href class="stepper-link">
                                    <span class="stepper-number" aria-hidden="true">{(i + 1).to_string()}</span>
                                    <span class="stepper-title">{t}</span>
                                </a>
                            }.into_any()
                        } else {
                            view! {
                                <span class="stepper-number" aria-hidden="true">{(i + 1).to_string()}</span>
                                <span class="stepper-title">{t}</span>
                            }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Draft(p: DraftPage) -> impl IntoView {
    let query = use_query_map();
    let saved_now = query.with_untracked(|q| q.get("saved").is_some());
    let total = p.steps.len();
    let title = p.service_title.clone();
    let on_review = p.step >= total;
    let expires_on = p.expires_on.clone();
    view! {
        <Title text=title.clone() />
        <div class="container section apply">
            <p class="breadcrumbs"><a href="/applications">"Мои заявления"</a></p>
            <h1>{title}</h1>
            <StepBar p=p.clone() />
            {saved_now.then(|| view! {
                <Alert kind=AlertKind::Success id="draft-saved">
                    <p>{format!("Черновик сохранён. Он хранится до {expires_on}: продолжить можно из «Мои заявления».")}</p>
                </Alert>
            })}
            {if on_review { view! { <Review p=p.clone() /> }.into_any() } else { view! { <StepForm p=p.clone() /> }.into_any() }}
        </div>
    }
}

#[component]
fn StepForm(p: DraftPage) -> impl IntoView {
    let answers = RwSignal::new(p.answers.clone());
    let status = RwSignal::new(format!("Черновик сохранён {}", p.saved_at));
    let step_title = p.steps.get(p.step).cloned().unwrap_or_default();
    let has_errors = p.fields.iter().any(|f| f.error.is_some());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    autosave(form_ref, p.key.clone(), p.step, status);
    let step_url = <PostStep as leptos::server_fn::ServerFn>::url();
    view! {
        <section class="card" aria-labelledby="step-title">
            <h2 id="step-title">{format!("Шаг {} из {}. {step_title}", p.step + 1, p.steps.len() + 1)}</h2>
            {p.hint.clone().map(|h| view! { <p class="muted">{h}</p> })}
            {has_errors.then(|| view! {
                <Alert kind=AlertKind::Error id="step-errors">
                    <p>"Проверьте поля, отмеченные ниже. Всё введённое сохранено в черновике."</p>
                </Alert>
            })}
            <form method="post" action=step_url class="form" novalidate=true node_ref=form_ref id="step-form">
                <input type="hidden" name="id" value=p.key.clone() />
                <input type="hidden" name="step" value=p.step.to_string() />
                {p.fields.iter().cloned().map(|f| view! { <FormField f answers /> }).collect_view()}
                <div class="actions form-actions">
                    {(p.step > 0).then(|| view! { <button type="submit" name="go" value="back" class="btn btn-secondary">"Назад"</button> })}
                    <button type="submit" name="go" value="save" class="btn btn-secondary" id="save-draft">"Сохранить черновик"</button>
                    <button type="submit" name="go" value="next" class="btn btn-primary" id="next-step">"Далее"</button>
                </div>
                <p class="muted draft-status" id="draft-status" role="status" aria-live="polite">{move || status.get()}</p>
            </form>
        </section>
    }
}

/// With JavaScript: the step is saved 1.5 s after the last change; a save
/// that fails says so and is tried again every 5 s until it passes.
#[allow(unused_variables)]
fn autosave(form: NodeRef<leptos::html::Form>, key: String, step: usize, status: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        use std::rc::Rc;

        use leptos::wasm_bindgen::JsCast;

        let generation = Rc::new(Cell::new(0u32));
        let save = {
            let key = key.clone();
            move |gen_now: u32, generation: Rc<Cell<u32>>| {
                let key = key.clone();
                let Some(form) = form.get_untracked() else { return };
                let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
                let mut answers = std::collections::HashMap::new();
                if let Ok(Some(iter)) = js_sys::try_iter(&data) {
                    for entry in iter.flatten() {
                        let pair: js_sys::Array = entry.unchecked_into();
                        let (k, v) =
                            (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
                        if let Some(id) = k.strip_prefix("answers[").and_then(|r| r.strip_suffix(']')) {
                            answers.insert(id.to_string(), v);
                        }
                    }
                }
                leptos::task::spawn_local(async move {
                    status.set("Сохраняем черновик…".into());
                    let mut tries = 0;
                    loop {
                        if generation.get() != gen_now {
                            return;
                        }
                        match crate::services::api::save_draft(key.clone(), step, answers.clone()).await {
                            Ok(at) => {
                                status.set(format!("Черновик сохранён {at}"));
                                return;
                            }
                            Err(crate::error::AppError::Invalid { message, .. }) => {
                                status.set(message);
                                return;
                            }
                            Err(_) => {
                                tries += 1;
                                status.set(format!(
                                    "Не сохранено: нет связи с порталом. Повторим через 5 секунд (попытка {tries}). Введённое остаётся на странице."
                                ));
                                gloo_timers_sleep(5000).await;
                            }
                        }
                    }
                });
            }
        };
        Effect::new(move |_| {
            let Some(el) = form.get() else { return };
            let generation = generation.clone();
            let save = save.clone();
            let cancelled = generation.clone();
            let handler = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                let g = generation.get() + 1;
                generation.set(g);
                let (generation, save) = (generation.clone(), save.clone());
                leptos::task::spawn_local(async move {
                    gloo_timers_sleep(1500).await;
                    if generation.get() == g {
                        save(g, generation);
                    }
                });
            });
            let _ = el.add_event_listener_with_callback("input", handler.as_ref().unchecked_ref());
            let _ = el.add_event_listener_with_callback("change", handler.as_ref().unchecked_ref());
            handler.forget();
            // The form is sent whole: a save still waiting would only repeat
            // it (or, landing after it, move the draft back a step).
            let cancel =
                leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || cancelled.set(cancelled.get() + 1));
            let _ = el.add_event_listener_with_callback("submit", cancel.as_ref().unchecked_ref());
            cancel.forget();
        });
    }
}

#[cfg(feature = "hydrate")]
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
fn Review(p: DraftPage) -> impl IntoView {
    let query = use_query_map();
    let checked = query.with_untracked(|q| q.get("check").is_some());
    let submit = ServerAction::<SubmitApplication>::new();
    let delete = ServerAction::<DeleteDraft>::new();
    let blocking = p.blocking.clone();
    let key = p.key.clone();
    let (key2, key3, key4) = (p.key.clone(), p.key.clone(), p.key.clone());
    view! {
        <section class="card review" aria-labelledby="review-title">
            <h2 id="review-title">"Проверьте данные"</h2>
            <p class="muted">"Так заявление увидит ведомство. Если что-то не так, вернитесь к нужному шагу."</p>
            {(!blocking.is_empty()).then(|| view! {
                <Alert kind=AlertKind::Error id="review-blocking">
                    <p>{if checked { "Заявление не отправлено. Исправьте:" } else { "Перед отправкой исправьте:" }}</p>
                    <ul>
                        {blocking.iter().map(|(step, m)| view! {
                            <li><a href=format!("/applications/{key}/edit?step={step}&check=1")>{format!("Шаг {}: {m}", step + 1)}</a></li>
                        }).collect_view()}
                    </ul>
                </Alert>
            })}
            {p.review.iter().map(|s| view! {
                <h3>{format!("{}. {}", s.index + 1, s.title)}" "
                    <a class="review-edit" href=format!("/applications/{key2}/edit?step={}", s.index)>"Изменить"<span class="visually-hidden">{format!(" — {}", s.title)}</span></a>
                </h3>
                <dl class="review-list">
                    {s.rows.iter().map(|r| view! { <dt>{r.label.clone()}</dt><dd>{r.value.clone()}</dd> }).collect_view()}
                </dl>
            }).collect_view()}
            {p.price.clone().map(|price| view! {
                <p class="price-note">{format!("Госпошлина: {price}. Её оплата появится в личном кабинете, когда заработает раздел «Задолженности и штрафы»; до тех пор ведомство сообщит реквизиты.")}</p>
            })}
            <div class="actions form-actions">
                <ActionForm action=submit attr:class="inline-form">
                    <input type="hidden" name="id" value=key3 />
                    <button type="submit" class="btn btn-primary" id="submit-application" disabled=move || submit.pending().get()>"Отправить"</button>
                </ActionForm>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=key4 />
                    <button type="submit" class="btn btn-secondary">"Удалить черновик"</button>
                </ActionForm>
            </div>
        </section>
    }
}
