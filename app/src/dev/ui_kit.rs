//! Every design-system part on one page, to look at and to test.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::{Alert, AlertKind, Button, ButtonVariant, Card, Modal, Stepper, TextField, use_toasts};

#[component]
pub fn UiKitPage() -> impl IntoView {
    let site = crate::site::use_site_info();
    let dev = move || site.and_then(|s| s.get()).map(|r| r.map(|i| i.dev).unwrap_or(false));
    view! {
        <Title text="Элементы интерфейса" />
        <Suspense fallback=|| ()>
            {move || dev().map(|dev| if dev {
                view! { <UiKit /> }.into_any()
            } else {
                view! { <crate::errors::NotFoundPage /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn UiKit() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let name_error = Signal::derive(move || {
        let n = name.get();
        (!n.is_empty() && n.chars().any(|c| c.is_ascii_digit())).then(|| "Имя не может содержать цифры".to_string())
    });
    let step = RwSignal::new(1usize);
    let modal = RwSignal::new(false);
    let toasts = use_toasts();
    view! {
        <div class="container section stack">
            <h1>"Элементы интерфейса"</h1>
            <Card title="Кнопки">
                <div class="row">
                    <Button kind="button">"Основная"</Button>
                    <Button kind="button" variant=ButtonVariant::Secondary>"Дополнительная"</Button>
                    <Button kind="button" variant=ButtonVariant::Quiet>"Тихая"</Button>
                    <Button kind="button" variant=ButtonVariant::Danger>"Удалить"</Button>
                    <Button kind="button" busy=Signal::from(true)>"Отправка…"</Button>
                </div>
            </Card>
            <Card title="Поле ввода">
                <TextField id="kit-name" name="name" label="Имя" value=name hint="Как в паспорте" error=name_error required=true autocomplete="given-name" />
            </Card>
            <Card title="Сообщения">
                <Alert kind=AlertKind::Info>"Информация"</Alert>
                <Alert kind=AlertKind::Success>"Данные сохранены"</Alert>
                <Alert kind=AlertKind::Warning>"Срок действия пароля истекает"</Alert>
                <Alert kind=AlertKind::Error title="Ошибка">"Неверный код подтверждения"</Alert>
            </Card>
            <Card title="Шаги">
                <Stepper steps=vec!["Контакты", "Код", "Пароль"] current=step />
                <div class="row">
                    <Button kind="button" variant=ButtonVariant::Secondary on_click=Callback::new(move |_| step.update(|s| *s = s.saturating_sub(1)))>"Назад"</Button>
                    <Button kind="button" on_click=Callback::new(move |_| step.update(|s| *s = (*s + 1).min(2)))>"Далее"</Button>
                </div>
            </Card>
            <Card title="Окно и уведомление">
                <div class="row">
                    <Button kind="button" id="kit-open-modal" on_click=Callback::new(move |_| modal.set(true))>"Открыть окно"</Button>
                    <Button kind="button" id="kit-toast" variant=ButtonVariant::Secondary on_click=Callback::new(move |_| toasts.show("Изменения сохранены"))>"Показать уведомление"</Button>
                </div>
                <Modal open=modal id="kit-modal" title="Подтверждение">
                    <p>"Вы уверены, что хотите продолжить?"</p>
                    <Button kind="button" on_click=Callback::new(move |_| modal.set(false))>"Понятно"</Button>
                </Modal>
            </Card>
        </div>
    }
}
