//! `/payments/p/:key`: a payment as it goes — the bank's code to type, the
//! СБП QR code (and its link for a phone), «в обработке» (the page looks
//! again by itself), «Оплачено» with the receipt, «Неуспешно» with the
//! reason and «Повторить». And `/sim/sbp/:op`, the simulated bank app a QR
//! code opens (dev mode).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::auth::pages::RequireSignIn;
use crate::payments::api::{CancelPayment, ConfirmPayment, EmailReceipt, SbpAnswer, get_payment, get_sbp_bank};
use crate::payments::dto::PaymentView;
use crate::payments::model::PayStatus;
use crate::ui::{Alert, AlertKind, FormError, TextField, field_error, last_error};

#[component]
pub fn PaymentPage() -> impl IntoView {
    let params = use_params_map();
    let forms = Forms {
        confirm: ServerAction::<ConfirmPayment>::new(),
        cancel: ServerAction::<CancelPayment>::new(),
        mail: ServerAction::<EmailReceipt>::new(),
    };
    // Read again after each form (with JavaScript its answer does not reload the page).
    let payment = Resource::new(
        move || {
            (
                params.with(|p| p.get("key").unwrap_or_default()),
                forms.confirm.version().get(),
                forms.cancel.version().get(),
                forms.mail.version().get(),
            )
        },
        |(key, ..)| get_payment(key),
    );
    view! {
        <Title text="Платёж" />
        <RequireSignIn>
            <div class="container section payments">
                <p class="breadcrumbs"><a href="/payments">"Задолженности и штрафы"</a>" · "<a href="/payments/history">"История платежей"</a></p>
                <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match payment.await {
                            Ok(p) => view! { <PaymentBody p forms /> }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireSignIn>
    }
}

#[derive(Clone, Copy)]
struct Forms {
    confirm: ServerAction<ConfirmPayment>,
    cancel: ServerAction<CancelPayment>,
    mail: ServerAction<EmailReceipt>,
}

#[component]
fn PaymentBody(p: PaymentView, forms: Forms) -> impl IntoView {
    let mailed = use_query_map().with_untracked(|q| q.get("mailed").is_some())
        || forms.mail.value().with_untracked(|v| matches!(v, Some(Ok(()))));
    let status_class = match p.status {
        PayStatus::Success => "pay-status pay-ok",
        PayStatus::Failed | PayStatus::Expired | PayStatus::Cancelled => "pay-status pay-bad",
        _ => "pay-status",
    };
    let label = if p.status == PayStatus::Success && p.settled {
        "Оплачено, квитировано"
    } else {
        p.status.label()
    };
    view! {
        {p.waiting.then(|| view! { <Meta http_equiv="refresh" content="3" /> })}
        <h1>{p.title.clone()}</h1>
        <p class=status_class>"Статус: "<strong id="pay-status" data-status=p.status.as_str()>{label}</strong></p>
        {mailed.then(|| view! { <Alert kind=AlertKind::Success id="receipt-mailed"><p>"Чек отправлен на вашу почту."</p></Alert> })}
        <dl class="facts">
            <dt>"Сумма"</dt><dd id="pay-amount">{p.amount.clone()}</dd>
            <dt>"УИН"</dt><dd>{p.uin_text.clone()}</dd>
            <dt>"Способ"</dt><dd>{p.means.clone()}</dd>
            <dt>"Создан"</dt><dd>{p.created_at.clone()}</dd>
            {p.paid_at.clone().map(|t| view! { <dt>"Оплачен"</dt><dd>{t}</dd> })}
            <dt>"Получатель"</dt><dd>{format!("{}, ИНН {}", p.payee.name, p.payee.inn)}</dd>
        </dl>
        {match p.status {
            PayStatus::Started if p.sbp_link.is_some() || p.means == "СБП" => view! { <SbpBlock p=p.clone() cancel=forms.cancel /> }.into_any(),
            PayStatus::Started | PayStatus::Created => view! { <CodeForm p=p.clone() forms /> }.into_any(),
            PayStatus::Submitted => view! {
                <Alert kind=AlertKind::Info id="pay-processing">
                    <p>"Платёж в обработке у банка. Деньги не спишутся дважды: как только банк ответит, статус изменится. Страница обновится сама."</p>
                </Alert>
            }.into_any(),
            PayStatus::Success => view! { <Receipt p=p.clone() mail=forms.mail /> }.into_any(),
            _ => view! {
                <Alert kind=AlertKind::Error id="pay-failed">
                    <p>{p.failure.clone().unwrap_or_else(|| p.status.label().to_string())}</p>
                </Alert>
                <p class="charge-actions">
                    <a class="btn btn-primary" href=p.charge_href.clone() id="retry">"Повторить"</a>
                    <a class="btn btn-secondary" href="/help">"Обратиться в поддержку"</a>
                </p>
            }.into_any(),
        }}
    }
}

#[component]
fn CodeForm(p: PaymentView, forms: Forms) -> impl IntoView {
    let (confirm, cancel) = (forms.confirm, forms.cancel);
    let error = last_error(confirm.value());
    let cancel_error = last_error(cancel.value());
    let key2 = p.key.clone();
    view! {
        <section class="card" aria-labelledby="code-title">
            <h2 id="code-title">"Подтвердите оплату"</h2>
            <p>{format!("Банк отправил SMS с кодом на ваш телефон. Введите его до {}.", p.until)}</p>
            <FormError error />
            <ActionForm action=confirm attr:class="form form-inline" attr:novalidate=true attr:id="code-form">
                <input type="hidden" name="key" value=p.key.clone() />
                <TextField id="pay-code" name="code" label="Код из SMS" inputmode="numeric" autocomplete="one-time-code"
                    error=field_error(error, "code") required=true maxlength=6u32 />
                <button type="submit" class="btn btn-primary" id="code-submit">"Подтвердить"</button>
            </ActionForm>
            <FormError error=cancel_error />
            <ActionForm action=cancel attr:class="inline-form">
                <input type="hidden" name="key" value=key2 />
                <button type="submit" class="btn btn-link" id="pay-cancel">"Отменить платёж"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SbpBlock(p: PaymentView, cancel: ServerAction<CancelPayment>) -> impl IntoView {
    let cancel_error = last_error(cancel.value());
    view! {
        <section class="card sbp" aria-labelledby="sbp-title">
            <h2 id="sbp-title">"Оплата через СБП"</h2>
            <p>{format!("Отсканируйте QR-код камерой телефона или в приложении банка и подтвердите оплату {}. Код действует до {}.", p.amount, p.until)}</p>
            {p.sbp_qr.clone().map(|src| view! { <img class="sbp-qr" src=src alt="QR-код для оплаты через СБП" width="220" height="220" /> })}
            {p.sbp_link.clone().map(|href| view! {
                <p><a class="btn btn-secondary" href=href id="sbp-link">"Открыть в приложении банка"</a></p>
            })}
            <p class="muted">"Ждём подтверждения от банка. Страница обновится сама."</p>
            <FormError error=cancel_error />
            <ActionForm action=cancel attr:class="inline-form">
                <input type="hidden" name="key" value=p.key.clone() />
                <button type="submit" class="btn btn-link" id="pay-cancel">"Отменить платёж"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Receipt(p: PaymentView, mail: ServerAction<EmailReceipt>) -> impl IntoView {
    let error = last_error(mail.value());
    view! {
        <section class="card receipt" aria-labelledby="receipt-title">
            <h2 id="receipt-title">"Электронный чек"</h2>
            <p>{if p.settled { "ГИС ГМП подтвердила оплату: начисление квитировано." } else { "Платёж передан в ГИС ГМП; квитирование обычно занимает несколько минут." }}</p>
            {p.receipt_href.clone().map(|h| view! { <p><a class="btn btn-primary" href=h id="receipt-download" download="">"Скачать чек (PDF)"</a></p> })}
            <FormError error />
            {p.has_email.then(|| view! {
                <ActionForm action=mail attr:class="inline-form">
                    <input type="hidden" name="key" value=p.key.clone() />
                    <button type="submit" class="btn btn-secondary" id="receipt-mail">"Отправить чек на почту"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The simulated bank app (dev mode): what a QR code of СБП opens.
#[component]
pub fn SbpBankPage() -> impl IntoView {
    let params = use_params_map();
    let answer = ServerAction::<SbpAnswer>::new();
    // Read again after «Оплатить»/«Отклонить» (with JavaScript the answer does not reload the page).
    let bank = Resource::new(
        move || (params.with(|p| p.get("op").unwrap_or_default()), answer.version().get()),
        |(op, _)| get_sbp_bank(op),
    );
    let error = last_error(answer.value());
    view! {
        <Title text="Банк: оплата по QR-коду" />
        <div class="container section sim-bank">
            <p class="muted">"Имитация приложения банка (режим разработки)"</p>
            <h1>"Оплата по QR-коду СБП"</h1>
            <FormError error />
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match bank.await {
                        Ok(b) => {
                            let op = b.op.clone();
                            let op2 = b.op.clone();
                            match b.state.as_str() {
                                "waiting" => view! {
                                    <p>"Получатель: Госуслуги. Сумма: "<strong id="sbp-amount">{b.amount.clone()}</strong></p>
                                    <div class="charge-actions">
                                        <ActionForm action=answer attr:class="inline-form">
                                            <input type="hidden" name="op" value=op />
                                            <input type="hidden" name="pay" value="1" />
                                            <button type="submit" class="btn btn-primary" id="sbp-pay">"Оплатить"</button>
                                        </ActionForm>
                                        <ActionForm action=answer attr:class="inline-form">
                                            <input type="hidden" name="op" value=op2 />
                                            <input type="hidden" name="pay" value="0" />
                                            <button type="submit" class="btn btn-secondary" id="sbp-decline">"Отклонить"</button>
                                        </ActionForm>
                                    </div>
                                }.into_any(),
                                "paid" => view! { <Alert kind=AlertKind::Success id="sbp-done"><p>"Оплачено. Вернитесь на Госуслуги."</p></Alert> }.into_any(),
                                "declined" => view! { <Alert kind=AlertKind::Warning id="sbp-done"><p>"Оплата отклонена."</p></Alert> }.into_any(),
                                _ => view! { <Alert kind=AlertKind::Warning id="sbp-done"><p>"Срок действия QR-кода истёк."</p></Alert> }.into_any(),
                            }
                        }
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
