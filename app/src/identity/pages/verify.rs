//! «Подтверждение личности» (`/profile/verify`): the form (СНИЛС and the
//! passport, checked as typed by the same rules the server applies), then
//! «На проверке» until both registries have answered (the page asks again
//! every few seconds; without JavaScript, «Обновить»), then the verdict:
//! «Стандартная», or which data was not found, with the form filled in
//! again to correct and resend. A person already at «Стандартная» or
//! higher sees that, and no form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::Level;
use crate::auth::pages::RequireSignIn;
use crate::identity::api::{SendVerify, get_verify};
use crate::identity::dto::{CheckView, VerifyView};
use crate::identity::model::{
    CheckState, Refusal, validate_division_code, validate_issued_by, validate_issued_on, validate_passport_number,
    validate_passport_series, validate_snils,
};
use crate::ui::form::{FormError, echoed, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, TextField};

/// How often an open page asks again while the check is under way.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(2);

#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Title text="Подтверждение личности" />
        <RequireSignIn>
            <VerifyBody />
        </RequireSignIn>
    }
}

#[component]
fn VerifyBody() -> impl IntoView {
    let query = use_query_map();
    let send = ServerAction::<SendVerify>::new();
    // Bumped by the page itself while the check is pending.
    let tick = RwSignal::new(0u32);
    let page = Resource::new(move || (query.get(), send.version().get(), tick.get()), |_| get_verify());
    view! {
        <div class="container narrow section">
            <p class="breadcrumbs"><a href="/profile">"Личные данные"</a></p>
            <h1>"Подтверждение личности"</h1>
            <Transition fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(v) => view! { <VerifyContent v send tick /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn VerifyContent(v: VerifyView, send: ServerAction<SendVerify>, tick: RwSignal<u32>) -> impl IntoView {
    if v.level >= Level::Standard {
        return view! { <Done level=v.level check=v.check /> }.into_any();
    }
    if !v.available {
        return view! {
            <Alert kind=AlertKind::Info id="verify-unavailable">
                <p>{crate::identity::model::NOT_CONNECTED}</p>
            </Alert>
        }
        .into_any();
    }
    match v.check.clone() {
        Some(c) if c.state == CheckState::Pending => view! { <Pending c v tick /> }.into_any(),
        last => view! { <VerifyForm v last send /> }.into_any(),
    }
}

/// The account is «Стандартная» or higher: nothing to do here.
#[component]
fn Done(level: Level, check: Option<CheckView>) -> impl IntoView {
    let just_now = check.is_some_and(|c| c.state == CheckState::Confirmed);
    view! {
        <Alert kind=AlertKind::Success id="verify-done" title=if just_now { "Личность подтверждена" } else { "Личность уже подтверждена" }>
            <p>{format!("Уровень учётной записи — «{}».", level.label())}</p>
            <p>{format!("{}.", level.opens())}</p>
        </Alert>
        <p><a href="/profile">"Вернуться в личные данные"</a></p>
    }
}

/// «На проверке»: what was sent and when; the page asks again by itself
/// (with JavaScript) or on «Обновить».
#[component]
fn Pending(c: CheckView, v: VerifyView, tick: RwSignal<u32>) -> impl IntoView {
    // Effects run only in the browser: ask again in a moment.
    Effect::new(move |_| {
        set_timeout(
            move || {
                tick.try_update(|t| *t += 1);
            },
            REFRESH,
        );
    });
    let p = &v.values.passport;
    let passport = format!("{} {}, выдан {}", p.series, p.number, p.issued_on);
    view! {
        <section class="card verify-status" aria-labelledby="verify-status-title" id="verify-pending">
            <h2 id="verify-status-title"><span class="badge badge-warn">{CheckState::Pending.label()}</span></h2>
            <p>
                {format!("Данные отправлены в Социальный фонд России и МВД России {}. ", c.sent_at)}
                "Обычно проверка занимает несколько минут. Результат придёт уведомлением и появится на этой странице."
            </p>
            <dl class="data-list">
                <dt>"ФИО"</dt><dd>{v.full_name.clone()}</dd>
                <dt>"Дата рождения"</dt><dd>{v.birth_date.clone()}</dd>
                <dt>"СНИЛС"</dt><dd>{v.values.snils.clone()}</dd>
                <dt>"Паспорт"</dt><dd>{passport}</dd>
            </dl>
            <p class="actions"><a class="btn btn-secondary" href="/profile/verify">"Обновить"</a></p>
        </section>
    }
}

/// A field's message: the browser's own check once the field was left,
/// else what the server said, else what the registries said.
fn message(
    touched: RwSignal<bool>,
    value: RwSignal<String>,
    server: Signal<Option<String>>,
    check: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    refused: Option<String>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let local = if touched.get() { value.with(|v| check(v)) } else { None };
        local.or_else(|| server.get()).or_else(|| refused.clone())
    })
}

#[component]
fn VerifyForm(v: VerifyView, last: Option<CheckView>, send: ServerAction<SendVerify>) -> impl IntoView {
    let error = last_error(send.value());
    // What was typed before a refused submit, else the data of the last check.
    let initial = |field: &str, fallback: &str| {
        let typed = echoed(error, field);
        RwSignal::new(if typed.is_empty() && error.with_untracked(Option::is_none) {
            fallback.to_string()
        } else {
            typed
        })
    };
    let p = &v.values.passport;
    let snils = initial("snils", &v.values.snils);
    let series = initial("passport_series", &p.series);
    let number = initial("passport_number", &p.number);
    let issued_on = initial("passport_issued_on", &p.issued_on);
    let issued_by = initial("passport_issued_by", &p.issued_by);
    let division = initial("passport_division", &p.division_code);
    let touched: [RwSignal<bool>; 6] = std::array::from_fn(|_| RwSignal::new(false));
    let touch = move |i: usize| move |_| touched[i].set(true);

    // The registries' verdict, while nothing newer was sent.
    let refusals =
        last.as_ref().filter(|c| c.state == CheckState::Refused).map(|c| c.refusals.clone()).unwrap_or_default();
    let refused =
        move |field: &str| refusals.iter().find(|r| r.field() == field).map(|r| r.field_message().to_string());
    let snils_refused = refused("snils");
    let passport_refused = refused("passport");
    let birth = crate::auth::personal::parse_date(&v.birth_date).ok();
    let today = chrono::Utc::now().date_naive();

    let snils_err = message(
        touched[0],
        snils,
        field_error(error, "snils"),
        |s| validate_snils(s).err().map(str::to_string),
        snils_refused,
    );
    let series_err = message(
        touched[1],
        series,
        field_error(error, "passport_series"),
        |s| validate_passport_series(s).err().map(str::to_string),
        None,
    );
    let number_err = message(
        touched[2],
        number,
        field_error(error, "passport_number"),
        |s| validate_passport_number(s).err().map(str::to_string),
        None,
    );
    let issued_on_err = message(
        touched[3],
        issued_on,
        field_error(error, "passport_issued_on"),
        move |s| validate_issued_on(s, birth, today).err().map(str::to_string),
        None,
    );
    let issued_by_err = message(
        touched[4],
        issued_by,
        field_error(error, "passport_issued_by"),
        |s| validate_issued_by(s).err().map(str::to_string),
        None,
    );
    let division_err = message(
        touched[5],
        division,
        field_error(error, "passport_division"),
        |s| validate_division_code(s).err().map(str::to_string),
        None,
    );
    // Shown above the passport fields until the person sends again.
    let passport_note = Signal::derive(move || passport_refused.clone().filter(|_| error.with(Option::is_none)));

    view! {
        <Verdict last />
        <p class="lead">
            "Укажите СНИЛС и паспорт. Портал отправит запрос в Социальный фонд России и МВД России; когда они подтвердят данные, уровень учётной записи станет «Стандартная»."
        </p>
        <section class="card verify-holder" aria-labelledby="verify-holder-title">
            <h2 id="verify-holder-title" class="card-title">"Данные сверяются с профилем"</h2>
            <dl class="data-list">
                <dt>"ФИО"</dt><dd id="verify-name">{v.full_name.clone()}</dd>
                <dt>"Дата рождения"</dt><dd>{v.birth_date.clone()}</dd>
            </dl>
            <p class="field-hint">"Если в ФИО или дате рождения ошибка, исправьте их по запросу со сканами документов: иначе ведомства не найдут сведения."</p>
        </section>
        <FormError error />
        <ActionForm action=send attr:novalidate=true attr:class="form verify-form">
            <div on:focusout=touch(0)>
                <TextField id="snils" name="snils" label="СНИЛС" hint="11 цифр, например 112-233-445 95" value=snils inputmode="numeric" autocomplete="off" required=true maxlength=14u32 error=snils_err />
            </div>
            <fieldset class="field-group" aria-describedby=move || passport_note.with(Option::is_some).then_some("passport-error")>
                <legend class="field-label">"Паспорт гражданина Российской Федерации"</legend>
                <p class="field-error" id="passport-error" hidden=move || passport_note.with(Option::is_none)>{move || passport_note.get()}</p>
                <div class="field-row">
                    <div on:focusout=touch(1)>
                        <TextField id="passport_series" name="passport_series" label="Серия" hint="4 цифры" value=series inputmode="numeric" autocomplete="off" required=true maxlength=5u32 error=series_err />
                    </div>
                    <div on:focusout=touch(2)>
                        <TextField id="passport_number" name="passport_number" label="Номер" hint="6 цифр" value=number inputmode="numeric" autocomplete="off" required=true maxlength=6u32 error=number_err />
                    </div>
                </div>
                <div on:focusout=touch(3)>
                    <TextField id="passport_issued_on" name="passport_issued_on" label="Дата выдачи" hint="ДД.ММ.ГГГГ, например 20.03.2011" value=issued_on inputmode="numeric" autocomplete="off" required=true maxlength=10u32 error=issued_on_err />
                </div>
                <div on:focusout=touch(4)>
                    <TextField id="passport_issued_by" name="passport_issued_by" label="Кем выдан" hint="Как написано в паспорте" value=issued_by autocomplete="off" required=true maxlength=200u32 error=issued_by_err />
                </div>
                <div on:focusout=touch(5)>
                    <TextField id="passport_division" name="passport_division" label="Код подразделения" hint="6 цифр, например 770-005" value=division inputmode="numeric" autocomplete="off" required=true maxlength=7u32 error=division_err />
                </div>
            </fieldset>
            <p class="field-hint">"Нажимая «Отправить на проверку», вы соглашаетесь на передачу этих данных в Социальный фонд России и МВД России для проверки."</p>
            <div class="form-actions">
                <Button busy=send.pending()>"Отправить на проверку"</Button>
            </div>
        </ActionForm>
    }
}

/// The last check's outcome above the form: what was not found, or that
/// the registries did not answer.
#[component]
fn Verdict(last: Option<CheckView>) -> impl IntoView {
    match last {
        Some(c) if c.state == CheckState::Refused => view! {
            <Alert kind=AlertKind::Error id="verify-refused" title=CheckState::Refused.label()>
                <ul class="verify-refusals">
                    {c.refusals.iter().map(|r: &Refusal| view! { <li>{r.message()}</li> }).collect_view()}
                </ul>
                <p>"Исправьте данные и отправьте их ещё раз."</p>
            </Alert>
        }
        .into_any(),
        Some(c) if c.state == CheckState::Failed => view! {
            <Alert kind=AlertKind::Warning id="verify-failed" title=CheckState::Failed.label()>
                <p>"Ведомства не ответили на запрос, отправленный "{c.sent_at}", — данные не проверены. Отправьте их ещё раз."</p>
            </Alert>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
