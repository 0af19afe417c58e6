//! `/payments/charge/:uin`: one charge — amount (both amounts and the days
//! left while a fine's discount lasts), reason, recipient's details — and
//! the payment form: a new card (number, expiry, CVC; «Сохранить карту»),
//! a saved card, or СБП. The form carries the page's attempt key, so a
//! double click or a repeated post makes one payment.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::state_class;
use crate::auth::pages::RequireSignIn;
use crate::payments::api::{Pay, SavePayee, get_charge};
use crate::payments::dto::ChargeView;
use crate::ui::{Alert, AlertKind, FormError, TextField, echoed, field_error, last_error};

#[component]
pub fn ChargePage() -> impl IntoView {
    let params = use_params_map();
    let save_payee = ServerAction::<SavePayee>::new();
    let charge = Resource::new(
        move || (params.with(|p| p.get("uin").unwrap_or_default()), save_payee.version().get()),
        |(uin, _)| get_charge(uin),
    );
    view! {
        <Title text="Оплата начисления" />
        <RequireSignIn>
            <div class="container section payments">
                <p class="breadcrumbs"><a href="/payments">"Задолженности и штрафы"</a></p>
                <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match charge.await {
                            Ok(c) => view! { <ChargeBody c save_payee /> }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireSignIn>
    }
}

#[component]
fn ChargeBody(c: ChargeView, save_payee: ServerAction<SavePayee>) -> impl IntoView {
    let saved_notice = use_query_map().with_untracked(|q| q.get("saved").is_some()) || c.payee_saved;
    let i = c.item.clone();
    view! {
        <h1>{i.title.clone()}</h1>
        <p class="charge-kind">{i.kind.label()}" · "<span class=state_class(i.state) id="charge-state">{i.state.label()}</span></p>
        {saved_notice.then(|| view! { <Alert kind=AlertKind::Success id="payee-saved"><p>"Получатель сохранён."</p></Alert> })}
        <section class="card charge-sum" aria-labelledby="sum-title">
            <h2 id="sum-title" class="visually-hidden">"Сумма"</h2>
            <p class="charge-amount-big">"К оплате: "<strong id="charge-amount">{i.amount.clone()}</strong></p>
            {i.discount.clone().map(|d| view! {
                <p class="discount" id="discount">
                    "Скидка 50 % — без скидки "<s>{d.full.clone()}</s>". "
                    <span>{format!("Действует {} — {}", d.until, d.left)}</span>
                    <time datetime=d.until_iso.clone()></time>
                </p>
            })}
            {i.state.payable().then(|| view! {
                <p class:overdue=i.overdue>{if i.overdue { format!("Срок оплаты был {}", i.due_on) } else { format!("Оплатить до {}", i.due_on) }}</p>
            })}
        </section>
        <dl class="facts">
            <dt>"УИН"</dt><dd id="charge-uin">{i.uin_text.clone()}</dd>
            <dt>"Основание"</dt><dd>{i.details.clone()}</dd>
            <dt>"Ведомство"</dt><dd>{i.department.clone()}</dd>
            <dt>"Получатель"</dt><dd>{c.payee.name.clone()}</dd>
            <dt>"ИНН / КПП"</dt><dd>{format!("{} / {}", c.payee.inn, c.payee.kpp)}</dd>
            <dt>"Счёт"</dt><dd>{c.payee.account.clone()}</dd>
            <dt>"Банк"</dt><dd>{format!("{}, БИК {}", c.payee.bank, c.payee.bik)}</dd>
            <dt>"КБК / ОКТМО"</dt><dd>{format!("{} / {}", c.kbk, c.oktmo)}</dd>
        </dl>
        <p class="charge-actions">
            {i.appeal_href.clone().map(|h| view! { <a class="btn btn-secondary" href=h id="appeal">"Обжаловать"</a> })}
            {i.application_href.clone().map(|h| view! { <a href=h id="charge-application">"Заявление"</a> })}
            {(!c.payee_saved).then(|| view! {
                <ActionForm action=save_payee attr:class="inline-form">
                    <input type="hidden" name="uin" value=i.uin.clone() />
                    <button type="submit" class="btn btn-link" id="save-payee">"Сохранить получателя"</button>
                </ActionForm>
            })}
        </p>
        {c.paid_payment.clone().map(|h| view! { <p><a href=h id="paid-payment">"Платёж и чек"</a></p> })}
        {if !c.payable {
            ().into_any()
        } else if let Some(open) = c.open_payment.clone() {
            view! {
                <Alert kind=AlertKind::Info id="payment-open">
                    <p>"Этот платёж уже начат. "<a href=open>"Продолжить оплату"</a></p>
                </Alert>
            }.into_any()
        } else if !c.available {
            view! { <Alert kind=AlertKind::Warning><p>"Оплата на портале временно недоступна. Оплатите по УИН в банке."</p></Alert> }.into_any()
        } else {
            view! { <PayForm c=c.clone() /> }.into_any()
        }}
    }
}

#[component]
fn PayForm(c: ChargeView) -> impl IntoView {
    let pay = ServerAction::<Pay>::new();
    let error = last_error(pay.value());
    let has_cards = !c.cards.is_empty();
    let method = echoed(error, "method");
    let sbp = method == "sbp";
    let by_account = method == "account";
    view! {
        <section class="card pay-form" aria-labelledby="pay-title">
            <h2 id="pay-title">"Оплатить "{c.item.amount.clone()}</h2>
            <FormError error />
            <ActionForm action=pay attr:class="form" attr:novalidate=true attr:id="pay-form">
                <input type="hidden" name="uin" value=c.item.uin.clone() />
                <input type="hidden" name="attempt" value=c.attempt.clone() />
                <fieldset class="choice">
                    <legend>"Способ оплаты"</legend>
                    <label class="choice-item">
                        <input type="radio" name="method" value="card" id="method-card" checked={!sbp && !by_account} />
                        " Банковская карта (МИР, Visa, Mastercard)"
                    </label>
                    <label class="choice-item">
                        <input type="radio" name="method" value="account" id="method-account" checked=by_account />
                        " Привязанный счёт в банке"
                    </label>
                    <label class="choice-item">
                        <input type="radio" name="method" value="sbp" id="method-sbp" checked=sbp />
                        " СБП — по QR-коду в приложении банка"
                    </label>
                </fieldset>
                {has_cards.then(|| view! {
                    <fieldset class="choice">
                        <legend>"Сохранённые карты и счета"</legend>
                        {c.cards.iter().cloned().enumerate().map(|(n, card)| view! {
                            <label class="choice-item">
                                <input type="radio" name="saved" value=card.key.clone() id=format!("saved-{n}") checked={n == 0} />
                                {format!(" {}", card.label)}
                            </label>
                        }).collect_view()}
                        <label class="choice-item">
                            <input type="radio" name="saved" value="new" id="saved-new" />
                            " Новая карта или счёт"
                        </label>
                    </fieldset>
                })}
                <div class="card-fields card-only">
                    <TextField id="card-number" name="number" label="Номер карты" inputmode="numeric" autocomplete="cc-number"
                        placeholder="0000 0000 0000 0000" error=field_error(error, "number") maxlength=23u32 />
                    <div class="field-row">
                        <TextField id="card-expiry" name="expiry" label="Срок действия" hint="ММ/ГГ" inputmode="numeric"
                            autocomplete="cc-exp" placeholder="ММ/ГГ" error=field_error(error, "expiry") maxlength=7u32 />
                        <TextField id="card-cvc" name="cvc" label="CVC/CVV" hint="3 цифры на обороте" input_type="password"
                            inputmode="numeric" autocomplete="cc-csc" error=field_error(error, "cvc") maxlength=3u32 />
                    </div>
                </div>
                <div class="card-fields account-only">
                    <h3 class="fields-title">"Привязанный счёт"</h3>
                    <TextField id="account-number" name="account" label="Номер счёта" hint="20 цифр, как в договоре с банком"
                        inputmode="numeric" error=field_error(error, "account") maxlength=25u32 />
                    <TextField id="account-bik" name="bik" label="БИК банка" hint="9 цифр" inputmode="numeric"
                        value=RwSignal::new(echoed(error, "bik")) error=field_error(error, "bik") maxlength=9u32 />
                </div>
                <label class="checkbox">
                    <input type="checkbox" name="save" value="1" id="card-save" />
                    " Сохранить карту или счёт для следующих платежей (хранится только у банка)"
                </label>
                <p class="muted">"Данные карты и счёта передаются банку и не хранятся на портале. Комиссия — 0 ₽."</p>
                <button type="submit" class="btn btn-primary" id="pay-submit">"Оплатить"</button>
            </ActionForm>
        </section>
    }
}
