//! «Двухэтапная проверка» (spec 003): SMS codes, an authenticator app
//! (QR code and the key as text, confirmed by a first code), backup codes
//! (shown once, printable, downloadable, renewable). Turning a method off
//! or new backup codes need the password given within the last minutes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::pages::{CodeField, RequireSignIn};
use crate::security::api::{
    ConfirmTotp, DisableMethod, EnableSms, Reauthenticate, RegenerateBackupCodes, StartTotp, get_backup_reveal,
    get_two_step,
};
use crate::security::dto::TwoStep;
use crate::ui::PasswordField;
use crate::ui::form::{FormError, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant};

#[component]
pub fn TwoStepPage() -> impl IntoView {
    view! {
        <Title text="Двухэтапная проверка" />
        <RequireSignIn>
            <TwoStepBody />
        </RequireSignIn>
    }
}

#[component]
fn TwoStepBody() -> impl IntoView {
    let query = use_query_map();
    let state = Resource::new(move || query.get(), |_| get_two_step());
    let notice = move || {
        query.with(|q| {
            if let Some(left) = q.get("backup_low") {
                return Some((AlertKind::Warning, format!("Вы вошли по резервному коду. Осталось кодов: {left}. Создайте новые резервные коды, пока они не закончились.")));
            }
            match (q.get("on").as_deref(), q.get("off").as_deref()) {
                (Some("sms"), _) => Some((AlertKind::Success, "Двухэтапная проверка по SMS включена.".to_string())),
                (Some("totp"), _) => Some((AlertKind::Success, "Приложение для кодов подключено.".to_string())),
                (_, Some(_)) => Some((AlertKind::Success, "Способ отключён.".to_string())),
                _ if q.get("proof").is_some() => Some((AlertKind::Success, "Личность подтверждена. Теперь можно менять настройки.".to_string())),
                _ => None,
            }
        })
    };
    view! {
        <div class="container narrow section">
            <p class="breadcrumbs"><a href="/security">"Безопасность"</a></p>
            <h1>"Двухэтапная проверка"</h1>
            <p class="lead">"После пароля портал попросит второе подтверждение: код из SMS, код из приложения или ключ доступа. Так никто не войдёт в кабинет, даже узнав пароль."</p>
            {move || notice().map(|(kind, text)| view! { <Alert kind id="two-step-notice"><p>{text}</p></Alert> })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(s) => view! { <TwoStepView s /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn TwoStepView(s: TwoStep) -> impl IntoView {
    let sms_on = ServerAction::<EnableSms>::new();
    let totp_start = ServerAction::<StartTotp>::new();
    let totp_confirm = ServerAction::<ConfirmTotp>::new();
    let off = ServerAction::<DisableMethod>::new();
    let regen = ServerAction::<RegenerateBackupCodes>::new();
    let sms_error = last_error(sms_on.value());
    let totp_error = last_error(totp_confirm.value());
    let off_error = last_error(off.value());
    let regen_error = last_error(regen.value());
    let status = if s.on { "Включена" } else { "Выключена" };
    let change_error = Signal::derive(move || off_error.get().or_else(|| regen_error.get()));
    let staff_note = s.staff.then(|| if s.strong {
        view! {
            <Alert kind=AlertKind::Success id="staff-ready">
                <p>"Второй шаг входа для сотрудника настроен. " <a href="/staff">"Перейти в кабинет сотрудника"</a></p>
            </Alert>
        }.into_any()
    } else if s.may_set_up {
        view! {
            <Alert kind=AlertKind::Warning id="staff-setup">
                <p>"Для работы в кабинете сотрудника подключите приложение-аутентификатор или ключ доступа (раздел «Биометрия»). Код по SMS для сотрудников не подходит."</p>
            </Alert>
        }.into_any()
    } else {
        view! {
            <Alert kind=AlertKind::Warning id="staff-setup">
                <p>"Кабинет сотрудника открывается только после входа с приложением-аутентификатором, резервным кодом или ключом доступа. Если у вас их нет, обратитесь к администратору портала: он выдаст новый временный пароль, и при первом входе по нему вы подключите приложение. Если приложение уже подключено, выйдите и войдите снова с кодом из приложения."</p>
            </Alert>
        }.into_any()
    });
    view! {
        {staff_note}
        <p class="status-line" id="two-step-status">"Двухэтапная проверка: " <strong>{status}</strong></p>
        {(!s.proof_fresh).then(|| view! { <Reauth minutes=s.proof_minutes passkeys=s.has_passkeys next="/security/2fa" /> })}
        <FormError error=change_error />

        <section class="card method" aria-labelledby="sms-title">
            <h2 id="sms-title">"Код по SMS"</h2>
            {match (s.sms, s.phone.clone()) {
                (true, phone) => view! {
                    <p>"Включено. Код придёт на номер " {phone.unwrap_or_default()} "."</p>
                    <ActionForm action=off>
                        <input type="hidden" name="method" value="sms" />
                        <Button variant=ButtonVariant::Secondary busy=off.pending()>"Отключить SMS"</Button>
                    </ActionForm>
                }.into_any(),
                (false, Some(phone)) => view! {
                    <p>"Код для входа придёт в SMS на номер " {phone} "."</p>
                    <FormError error=sms_error />
                    <ActionForm action=sms_on>
                        <Button busy=sms_on.pending()>"Включить SMS"</Button>
                    </ActionForm>
                }.into_any(),
                (false, None) => view! {
                    <p>"Чтобы получать коды по SMS, укажите и подтвердите номер телефона в разделе " <a href="/profile">"«Личные данные»"</a> "."</p>
                }.into_any(),
            }}
        </section>

        <section class="card method" id="totp" aria-labelledby="totp-title">
            <h2 id="totp-title">"Приложение для кодов"</h2>
            {match (s.totp, s.totp_pending.clone()) {
                (true, _) => view! {
                    <p>"Подключено. При входе введите 6-значный код из приложения."</p>
                    <ActionForm action=off>
                        <input type="hidden" name="method" value="totp" />
                        <Button variant=ButtonVariant::Secondary busy=off.pending()>"Отключить приложение"</Button>
                    </ActionForm>
                }.into_any(),
                (false, Some(e)) => view! {
                    <ol class="steps-list">
                        <li>"Установите приложение-генератор кодов: Яндекс Ключ, Google Authenticator, Microsoft Authenticator или другое."</li>
                        <li>"Отсканируйте QR-код приложением или введите ключ вручную."</li>
                        <li>"Введите код, который покажет приложение."</li>
                    </ol>
                    <img class="qr" src=e.qr alt="QR-код для подключения приложения" width="220" height="220" />
                    <p>"Ключ для ввода вручную: " <code class="totp-key" id="totp-key">{e.key}</code></p>
                    <FormError error=Signal::derive(move || totp_error.get().filter(|e| e.field_message("code").is_none())) />
                    <ActionForm action=totp_confirm attr:novalidate=true attr:class="form">
                        <CodeField error=totp_error label="Код из приложения" hint="6 цифр, меняются каждые 30 секунд" />
                        <div class="form-actions">
                            <Button busy=totp_confirm.pending()>"Подключить"</Button>
                        </div>
                    </ActionForm>
                }.into_any(),
                (false, None) => view! {
                    <p>"Коды создаёт приложение на телефоне, даже без связи."</p>
                    <FormError error=last_error(totp_start.value()) />
                    <ActionForm action=totp_start>
                        <Button busy=totp_start.pending()>"Подключить приложение"</Button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>

        <section class="card method" aria-labelledby="backup-title">
            <h2 id="backup-title">"Резервные коды"</h2>
            <p id="backup-left">
                {if s.backup_left > 0 {
                    format!("Осталось неиспользованных кодов: {} из 10{}.", s.backup_left, s.backup_created.map(|d| format!(", созданы {d}")).unwrap_or_default())
                } else {
                    "Резервных кодов нет. Они помогут войти, если телефон потерян.".to_string()
                }}
            </p>
            <p class="field-hint">"Каждый код действует один раз. Новые коды отменяют прежние."</p>
            <ActionForm action=regen>
                <Button variant=ButtonVariant::Secondary busy=regen.pending()>"Создать новые резервные коды"</Button>
            </ActionForm>
        </section>
        <p class="form-aside">"Вход по отпечатку пальца или лицу: " <a href="/security/passkeys">"Биометрия"</a></p>
    }
}

/// «Подтвердите, что это вы»: the password again, for changes that need it.
#[component]
pub fn Reauth(minutes: i64, passkeys: bool, next: &'static str) -> impl IntoView {
    let reauth = ServerAction::<Reauthenticate>::new();
    let error = last_error(reauth.value());
    let password = RwSignal::new(String::new());
    view! {
        <section class="card reauth" aria-labelledby="reauth-title">
            <h2 id="reauth-title">"Подтвердите, что это вы"</h2>
            <p>{format!("Для изменения способов входа или контактов введите пароль. Подтверждение действует {minutes} минут.")}</p>
            <ActionForm action=reauth attr:novalidate=true attr:class="form">
                <input type="hidden" name="next" value=next />
                <PasswordField id="reauth-password" name="password" label="Пароль" value=password error=field_error(error, "password") />
                <div class="form-actions">
                    <Button busy=reauth.pending()>"Подтвердить"</Button>
                </div>
            </ActionForm>
            {passkeys.then(|| view! {
                <p>"Или подтвердите ключом доступа:"</p>
                <crate::security::passkeys::pages::PasskeyReauth next />
            })}
        </section>
    }
}

/// The new backup codes, shown once: print, download, or write down.
#[component]
pub fn BackupCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| get_backup_reveal());
    view! {
        <Title text="Резервные коды" />
        <RequireSignIn>
            <div class="container narrow section">
                <p class="breadcrumbs no-print"><a href="/security/2fa">"Двухэтапная проверка"</a></p>
                <h1>"Резервные коды"</h1>
                <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match codes.await {
                            Ok(Some(list)) => {
                                let text = format!(
                                    "Госпортал — резервные коды для входа\n\nКаждый код действует один раз.\n\n{}\n",
                                    list.join("\n")
                                );
                                let href = format!("data:text/plain;charset=utf-8,{}", crate::format::encode_component(&text));
                                view! {
                                    <Alert kind=AlertKind::Warning id="backup-once">
                                        <p>"Сохраните коды сейчас: больше они показаны не будут. Храните их отдельно от телефона, например распечатанными."</p>
                                    </Alert>
                                    <ol class="backup-codes" id="backup-codes">
                                        {list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                                    </ol>
                                    <div class="form-actions no-print">
                                        <a class="btn btn-primary" href=href download="gosportal-backup-codes.txt">"Скачать"</a>
                                        <PrintButton />
                                        <a class="btn btn-secondary" href="/security/2fa">"Готово"</a>
                                    </div>
                                }.into_any()
                            }
                            Ok(None) => view! {
                                <Alert kind=AlertKind::Info id="backup-gone">
                                    <p>"Резервные коды показываются только один раз, сразу после создания. Если вы их не сохранили, создайте новые: прежние перестанут действовать."</p>
                                </Alert>
                                <p><a href="/security/2fa">"К двухэтапной проверке"</a></p>
                            }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireSignIn>
    }
}

/// «Распечатать»: the browser's print dialog (needs JavaScript; the page
/// prints only the codes).
#[component]
fn PrintButton() -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! { <button type="button" class="btn btn-secondary" on:click=print>"Распечатать"</button> }
}
