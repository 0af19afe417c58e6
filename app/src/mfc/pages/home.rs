//! `/staff/mfc`: «Найти гражданина» and «Регистрация в МФЦ».

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::Role;
use crate::auth::pages::{RequireStaff, StaffNav};
use crate::mfc::api::{FindCitizen, RegisterCitizen};
use crate::ui::form::{FormError, echoed, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, TextField};

#[component]
pub fn MfcHome() -> impl IntoView {
    let query = use_query_map();
    let ended = move || query.with(|q| q.get("ended").is_some());
    view! {
        <Title text="Оператор МФЦ" />
        <RequireStaff role=Role::Operator>
            <div class="container section staff">
                <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a></p>
                <h1>"Оператор МФЦ"</h1>
                {move || ended().then(|| view! {
                    <Alert kind=AlertKind::Success id="mfc-notice"><p>"Приём завершён. Данные гражданина закрыты."</p></Alert>
                })}
                <Find />
                <Register />
                <StaffNav />
            </div>
        </RequireStaff>
    }
}

#[component]
fn Find() -> impl IntoView {
    let find = ServerAction::<FindCitizen>::new();
    let error = last_error(find.value());
    let value = RwSignal::new(echoed(error, "query"));
    view! {
        <section class="card profile-section" aria-labelledby="find-title">
            <h2 id="find-title">"Найти гражданина"</h2>
            <ActionForm action=find attr:novalidate=true attr:class="form form-inline">
                <TextField id="query" name="query" label="СНИЛС, телефон или паспорт" hint="Например, 112-233-445 95, +7 916 000-00-01 или 45 12 654321" value autocomplete="off" maxlength=40u32 required=true error=field_error(error, "query") />
                <Button busy=find.pending()>"Найти"</Button>
            </ActionForm>
            <p class="field-hint">"Поиск откроет приём: сведения о нём появятся у гражданина в разделе «Кто обращался к моим данным»."</p>
        </section>
    }
}

#[component]
fn Register() -> impl IntoView {
    let register = ServerAction::<RegisterCitizen>::new();
    let error = last_error(register.value());
    let v = move |f: &'static str| RwSignal::new(echoed(error, f));
    let e = move |f: &'static str| field_error(error, f);
    view! {
        <section class="card profile-section" aria-labelledby="register-title">
            <h2 id="register-title">"Регистрация в МФЦ"</h2>
            <p class="field-hint">"Введите данные с оригиналов документов. Учётная запись будет создана сразу с уровнем «Подтверждённая»; гражданин получит лист с логином, временным паролем и QR-кодом."</p>
            <FormError error />
            <ActionForm action=register attr:novalidate=true attr:class="form">
                <fieldset>
                    <legend>"Гражданин"</legend>
                    <TextField id="surname" name="surname" label="Фамилия" value=v("surname") required=true maxlength=60u32 autocomplete="off" error=e("surname") />
                    <TextField id="name" name="name" label="Имя" value=v("name") required=true maxlength=60u32 autocomplete="off" error=e("name") />
                    <TextField id="patronymic" name="patronymic" label="Отчество (если есть)" value=v("patronymic") maxlength=60u32 autocomplete="off" error=e("patronymic") />
                    <TextField id="birth_date" name="birth_date" label="Дата рождения" hint="ДД.ММ.ГГГГ" value=v("birth_date") required=true inputmode="numeric" maxlength=10u32 autocomplete="off" error=e("birth_date") />
                    <TextField id="snils" name="snils" label="СНИЛС" hint="11 цифр, например 112-233-445 95; будет логином" value=v("snils") required=true inputmode="numeric" maxlength=14u32 autocomplete="off" error=e("snils") />
                </fieldset>
                <fieldset>
                    <legend>"Паспорт"</legend>
                    <TextField id="passport_series" name="passport_series" label="Серия" hint="4 цифры" value=v("passport_series") required=true inputmode="numeric" maxlength=5u32 autocomplete="off" error=e("passport_series") />
                    <TextField id="passport_number" name="passport_number" label="Номер" hint="6 цифр" value=v("passport_number") required=true inputmode="numeric" maxlength=6u32 autocomplete="off" error=e("passport_number") />
                    <TextField id="passport_issued_on" name="passport_issued_on" label="Дата выдачи" hint="ДД.ММ.ГГГГ" value=v("passport_issued_on") required=true inputmode="numeric" maxlength=10u32 autocomplete="off" error=e("passport_issued_on") />
                    <TextField id="passport_issued_by" name="passport_issued_by" label="Кем выдан" value=v("passport_issued_by") required=true maxlength=200u32 autocomplete="off" error=e("passport_issued_by") />
                    <TextField id="passport_division" name="passport_division" label="Код подразделения" hint="Например, 770-005" value=v("passport_division") required=true inputmode="numeric" maxlength=7u32 autocomplete="off" error=e("passport_division") />
                </fieldset>
                <fieldset>
                    <legend>"Контакты и адрес"</legend>
                    <TextField id="phone" name="phone" label="Мобильный телефон" input_type="tel" inputmode="tel" hint="Гражданин подтвердит его кодом после первого входа" value=v("phone") required=true maxlength=20u32 autocomplete="off" error=e("phone") />
                    <TextField id="email" name="email" label="Электронная почта (если есть)" input_type="email" value=v("email") maxlength=254u32 autocomplete="off" error=e("email") />
                    <TextField id="address" name="address" label="Адрес регистрации" value=v("address") maxlength=300u32 autocomplete="off" error=e("address") />
                </fieldset>
                <Button busy=register.pending()>"Зарегистрировать"</Button>
            </ActionForm>
        </section>
    }
}
