//! «Помощь»: how to reach support (the one configurable contact block) and
//! answers to the questions people ask most at sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::site::use_site_info;

#[component]
pub fn HelpPage() -> impl IntoView {
    let site = use_site_info();
    view! {
        <Title text="Помощь" />
        <div class="container section">
            <h1>"Помощь"</h1>
            <section class="card" aria-labelledby="contacts-title">
                <h2 id="contacts-title">"Служба поддержки"</h2>
                <Suspense fallback=|| ()>
                    {move || site.and_then(|s| s.get()).map(|info| match info {
                        Ok(info) => {
                            let tel = info.phone_href();
                            let mail = format!("mailto:{}", info.support_email);
                            view! {
                                <p>"Телефон: " <a href=tel>{info.support_phone.clone()}</a> " — звонок бесплатный, круглосуточно"</p>
                                <p>"Электронная почта: " <a href=mail>{info.support_email.clone()}</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </Suspense>
                <p>"Сообщите, что случилось, когда и с какого устройства; если на экране был код ошибки — назовите его."</p>
            </section>
            <section class="card" id="mfc" aria-labelledby="mfc-title">
                <h2 id="mfc-title">"Подтверждение личности в МФЦ"</h2>
                <p>"Уровень «Подтверждённая» открывает все услуги портала. Чтобы его получить, придите в любой МФЦ с паспортом и СНИЛС и скажите оператору, что хотите подтвердить учётную запись Госпортала."</p>
                <ol>
                    <li>"Оператор найдёт вашу учётную запись по СНИЛС, телефону или паспорту и сверит данные с оригиналами."</li>
                    <li>"На ваш телефон придёт код. Введите его сами на панели у оператора — оператор кода не видит."</li>
                    <li>"Уровень изменится сразу, а в разделе «Кто обращался к моим данным» появится запись о приёме."</li>
                </ol>
                <p>"Если у вас ещё нет учётной записи, оператор МФЦ зарегистрирует вас: выдаст лист с логином, временным паролем и QR-кодом для входа. При первом входе вы зададите свой пароль."</p>
            </section>
            <h2>"Частые вопросы"</h2>
            <details class="faq">
                <summary>"Не получается войти: неправильный логин или пароль"</summary>
                <p>"Введите логин вручную, без пробелов в начале и в конце. Проверьте раскладку клавиатуры и Caps Lock. Если не помогло — нажмите «Забыли пароль?» и получите код на привязанный телефон или почту."</p>
            </details>
            <details class="faq">
                <summary>"Учётная запись заблокирована"</summary>
                <p>"После пяти неверных паролей подряд вход блокируется на 30 минут. Снять блокировку сразу можно через восстановление пароля: код подтверждения и новый пароль."</p>
            </details>
            <details class="faq">
                <summary>"Не пришёл код подтверждения"</summary>
                <p>"Проверьте номер телефона, освободите память телефона, отключите режим «Не беспокоить». Запросите код повторно через минуту или выберите «Получить код по телефону» — робот позвонит и продиктует цифры."</p>
            </details>
            <details class="faq">
                <summary>"Страница выдаёт ошибку 500 или «Сервис недоступен»"</summary>
                <p>"Повторите попытку через несколько минут, очистите кэш и cookie браузера, откройте портал в Chrome, Firefox, Edge или Safari последней версии. Если ошибка повторяется — сообщите в поддержку код ошибки и время."</p>
            </details>
        </div>
    }
}
