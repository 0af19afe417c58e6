//! «Задолженности и штрафы» (`/payments`) and the search by УИН
//! (`/payments/find`), and the card on «Личный кабинет».

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::state_class;
use crate::auth::pages::RequireSignIn;
use crate::payments::api::{
    AddPayerDoc, FindUin, ForgetCard, ForgetPayee, RefreshDebts, RemovePayerDoc, get_debts, get_find_state,
};
use crate::payments::dto::{ChargeItem, Debts};
use crate::ui::{Alert, AlertKind, FormError, TextField, echoed, field_error, last_error};

#[component]
pub fn PaymentsHomeCard() -> impl IntoView {
    use crate::ui::HomeCard;
    let debts = Resource::new(|| (), |_| get_debts());
    view! {
        <Suspense fallback=|| view! { <HomeCard title="Задолженности и штрафы" href="/payments" id="card-payments" /> }>
            {move || Suspend::new(async move {
                let (count, note) = match debts.await.ok() {
                    Some(d) if !d.unpaid.is_empty() => (
                        Some(u32::try_from(d.unpaid.len()).unwrap_or(u32::MAX)),
                        format!("К оплате: {}", d.total),
                    ),
                    Some(_) => (Some(0), "Задолженностей нет".to_string()),
                    None => (None, "Налоги, штрафы и их оплата".to_string()),
                };
                view! { <HomeCard title="Задолженности и штрафы" href="/payments" count note id="card-payments" /> }
            })}
        </Suspense>
    }
}

#[component]
pub fn DebtsPage() -> impl IntoView {
    view! {
        <Title text="Задолженности и штрафы" />
        <RequireSignIn>
            <DebtsBody />
        </RequireSignIn>
    }
}

#[component]
fn DebtsBody() -> impl IntoView {
    // The page's forms, so the list is read again after each (with
    // JavaScript a form's answer does not reload the page).
    let forms = Forms {
        add: ServerAction::<AddPayerDoc>::new(),
        remove: ServerAction::<RemovePayerDoc>::new(),
        refresh: ServerAction::<RefreshDebts>::new(),
        forget_payee: ServerAction::<ForgetPayee>::new(),
        forget_card: ServerAction::<ForgetCard>::new(),
    };
    let debts = Resource::new(
        move || {
            (
                forms.add.version().get(),
                forms.remove.version().get(),
                forms.refresh.version().get(),
                forms.forget_payee.version().get(),
                forms.forget_card.version().get(),
            )
        },
        |_| get_debts(),
    );
    view! {
        <div class="container section payments">
            <h1>"Задолженности и штрафы"</h1>
            <p class="lead">"Налоги, штрафы ГИБДД и госпошлины из ГИС ГМП. Оплата без комиссии."</p>
            <p class="page-links"><a href="/payments/history" id="history-link">"История платежей"</a></p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match debts.await {
                        Ok(d) => view! { <DebtsList d forms /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            <FindForm />
        </div>
    }
}

#[derive(Clone, Copy)]
struct Forms {
    add: ServerAction<AddPayerDoc>,
    remove: ServerAction<RemovePayerDoc>,
    refresh: ServerAction<RefreshDebts>,
    forget_payee: ServerAction<ForgetPayee>,
    forget_card: ServerAction<ForgetCard>,
}

#[component]
fn DebtsList(d: Debts, forms: Forms) -> impl IntoView {
    let refresh = forms.refresh;
    // Without JavaScript the form's answer is `?added=1`; with it, the
    // action's own success.
    let added = use_query_map().with_untracked(|q| q.get("added").is_some())
        || forms.add.value().with_untracked(|v| matches!(v, Some(Ok(()))));
    view! {
        {d.asking.then(|| view! {
            <Meta http_equiv="refresh" content="3" />
            <Alert kind=AlertKind::Info id="debts-asking"><p>"Запрашиваем сведения в ГИС ГМП… Страница обновится сама."</p></Alert>
        })}
        {added.then(|| view! { <Alert kind=AlertKind::Success id="doc-added"><p>"Документ добавлен. Ищем штрафы по нему."</p></Alert> })}
        {d.ask_failed.then(|| view! {
            <Alert kind=AlertKind::Warning id="debts-failed"><p>"ГИС ГМП сейчас не отвечает. Показаны сведения, полученные раньше; попробуйте обновить позже."</p></Alert>
        })}
        <section aria-labelledby="unpaid-title" class="debts">
            <div class="section-head">
                <h2 id="unpaid-title">"К оплате"</h2>
                <ActionForm action=refresh attr:class="inline-form">
                    <button type="submit" class="btn btn-link" id="refresh">"Обновить"</button>
                </ActionForm>
            </div>
            {if d.unpaid.is_empty() {
                view! { <p id="no-debts">"Задолженностей нет."</p> }.into_any()
            } else {
                view! {
                    <p class="debts-total">"Всего: "<strong id="debts-total">{d.total.clone()}</strong></p>
                    <ul class="charge-list" id="unpaid">
                        {d.unpaid.iter().cloned().map(|c| view! { <ChargeCard c /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!d.done.is_empty()).then(|| view! {
            <section aria-labelledby="done-title">
                <h2 id="done-title">"Оплаченные и отменённые"</h2>
                <ul class="charge-list" id="done">
                    {d.done.iter().cloned().map(|c| view! { <ChargeCard c /> }).collect_view()}
                </ul>
            </section>
        })}
        <DocsSection d=d.clone() forms />
        <SavedSection d forms />
    }
}

#[component]
pub(super) fn ChargeCard(c: ChargeItem) -> impl IntoView {
    let payable = c.state.payable();
    view! {
        <li class="card charge-card" data-uin=c.uin.clone()>
            <p class="charge-kind">{c.kind.label()}" · "<span class=state_class(c.state)>{c.state.label()}</span></p>
            <h3 class="charge-title"><a href=c.href.clone()>{c.title.clone()}</a></h3>
            <p class="muted">{c.details.clone()}</p>
            <p class="charge-amount">
                <strong>{c.amount.clone()}</strong>
                {c.discount.clone().map(|d| view! {
                    " "<s class="muted" aria-label=format!("без скидки {}", d.full)>{d.full.clone()}</s>
                    <span class="discount">{format!(" Скидка 50 % {}, {}", d.until, d.left)}</span>
                })}
            </p>
            {payable.then(|| view! {
                <p class:overdue=c.overdue>{if c.overdue { format!("Просрочено: срок оплаты был {}", c.due_on) } else { format!("Оплатить до {}", c.due_on) }}</p>
                <p class="charge-actions">
                    <a class="btn btn-primary" href=c.href.clone()>"Оплатить"</a>
                    {c.appeal_href.clone().map(|h| view! { <a class="btn btn-secondary" href=h>"Обжаловать"</a> })}
                </p>
            })}
            {c.application_href.clone().map(|h| view! { <p><a href=h>"Заявление"</a></p> })}
        </li>
    }
}

#[component]
fn DocsSection(d: Debts, forms: Forms) -> impl IntoView {
    let (add, remove) = (forms.add, forms.remove);
    let error = last_error(add.value());
    let kind = echoed(error, "kind");
    view! {
        <section aria-labelledby="docs-title" class="card payer-docs" id="docs">
            <h2 id="docs-title">"Документы для поиска штрафов"</h2>
            <p>
                {match &d.inn {
                    Some(inn) => format!("Налоги ищем по ИНН {inn} из профиля. "),
                    None => "Добавьте ИНН в профиле, чтобы видеть налоги. ".to_string(),
                }}
                "Штрафы ГИБДД ищем по свидетельствам о регистрации ТС и водительским удостоверениям."
            </p>
            {(!d.docs.is_empty()).then(|| view! {
                <ul class="doc-list" id="payer-docs">
                    {d.docs.iter().cloned().map(|doc| view! {
                        <li>
                            {format!("{}: {}", doc.label, doc.number)}
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="key" value=doc.key.clone() />
                                <button type="submit" class="btn btn-link">"Удалить"<span class="visually-hidden">{format!(" {}", doc.number)}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <FormError error />
            <ActionForm action=add attr:class="form form-inline" attr:novalidate=true attr:id="doc-form">
                <div class="field">
                    <label for="doc-kind" class="field-label">"Документ"</label>
                    <select id="doc-kind" name="kind" class="field-input">
                        <option value="sts" selected={kind != "vu"}>"СТС — свидетельство о регистрации ТС"</option>
                        <option value="vu" selected={kind == "vu"}>"Водительское удостоверение"</option>
                    </select>
                </div>
                <TextField id="doc-number" name="number" label="Номер" hint="Например, 77 УК 123456 или 99 12 345678"
                    value=RwSignal::new(echoed(error, "number")) error=field_error(error, "number") required=true maxlength=20u32 />
                <button type="submit" class="btn btn-secondary" id="doc-add">"Добавить"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SavedSection(d: Debts, forms: Forms) -> impl IntoView {
    let (forget_payee, forget_card) = (forms.forget_payee, forms.forget_card);
    (!d.payees.is_empty() || !d.cards.is_empty()).then(|| view! {
        <section aria-labelledby="saved-title" class="card" id="saved">
            <h2 id="saved-title">"Сохранённые получатели и карты"</h2>
            {(!d.payees.is_empty()).then(|| view! {
                <h3>"Получатели"</h3>
                <ul class="doc-list" id="payees">
                    {d.payees.iter().cloned().map(|p| view! {
                        <li>
                            <strong>{p.name.clone()}</strong>
                            <span class="muted">{format!(" ИНН {}, КПП {}, счёт {}, БИК {}", p.inn, p.kpp, p.account, p.bik)}</span>
                            <ActionForm action=forget_payee attr:class="inline-form">
                                <input type="hidden" name="key" value=p.key.clone() />
                                <button type="submit" class="btn btn-link">"Удалить"<span class="visually-hidden">{format!(" {}", p.name)}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!d.cards.is_empty()).then(|| view! {
                <h3>"Карты"</h3>
                <ul class="doc-list" id="cards">
                    {d.cards.iter().cloned().map(|c| view! {
                        <li>
                            {c.label.clone()}
                            <ActionForm action=forget_card attr:class="inline-form">
                                <input type="hidden" name="key" value=c.key.clone() />
                                <button type="submit" class="btn btn-link">"Удалить"<span class="visually-hidden">{format!(" {}", c.label)}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    })
}

#[component]
fn FindForm() -> impl IntoView {
    let find = ServerAction::<FindUin>::new();
    let error = last_error(find.value());
    view! {
        <section aria-labelledby="find-title" class="card" id="find">
            <h2 id="find-title">"Оплата по УИН"</h2>
            <p>"Штраф за чужую машину или квитанция на бумаге: введите УИН из постановления или квитанции."</p>
            <FormError error />
            <ActionForm action=find attr:class="form form-inline" attr:novalidate=true attr:id="find-form">
                <TextField id="uin" name="uin" label="УИН" hint="20 или 25 цифр" inputmode="numeric"
                    value=RwSignal::new(echoed(error, "uin")) error=field_error(error, "uin") required=true maxlength=40u32 />
                <button type="submit" class="btn btn-secondary" id="find-submit">"Найти"</button>
            </ActionForm>
        </section>
    }
}

/// `/payments/find?uin=…&m=…`: waits for ГИС ГМП's answer to a search.
#[component]
pub fn FindPage() -> impl IntoView {
    let query = use_query_map();
    let state = Resource::new(
        move || query.with(|q| (q.get("uin").unwrap_or_default(), q.get("m").unwrap_or_default())),
        |(uin, m)| get_find_state(uin, m),
    );
    view! {
        <Title text="Поиск по УИН" />
        <RequireSignIn>
            <div class="container section payments">
                <p class="breadcrumbs"><a href="/payments">"Задолженности и штрафы"</a></p>
                <h1>"Поиск по УИН"</h1>
                <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match state.await {
                            Ok(s) if s.found.is_some() => {
                                let href = s.found.clone().unwrap_or_default();
                                view! {
                                    <Meta http_equiv="refresh" content=format!("0; url={href}") />
                                    <p>"Начисление найдено. "<a href=href id="found">"Открыть"</a></p>
                                }.into_any()
                            }
                            Ok(s) if s.waiting => view! {
                                <Meta http_equiv="refresh" content="2" />
                                <Alert kind=AlertKind::Info id="find-waiting"><p>{format!("Ищем начисление с УИН {} в ГИС ГМП… Страница обновится сама.", s.uin)}</p></Alert>
                            }.into_any(),
                            Ok(s) if s.failed => view! {
                                <Alert kind=AlertKind::Warning id="find-failed"><p>"ГИС ГМП сейчас не отвечает. Попробуйте найти начисление позже."</p></Alert>
                                <FindForm />
                            }.into_any(),
                            Ok(s) => view! {
                                <Alert kind=AlertKind::Warning id="find-none"><p>{format!("Неоплаченное начисление с УИН {} не найдено. Проверьте номер по документу.", s.uin)}</p></Alert>
                                <FindForm />
                            }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireSignIn>
    }
}
