//! The upload form: «Тип документа», «Файл», a progress bar, «Загрузить».
//! It is a plain multipart form posting to `/api/documents/upload`, so it
//! works without JavaScript (the server sends the browser back with the
//! result in the address). Hydrated, the page sends it itself with
//! XMLHttpRequest, whose upload progress drives the bar, checks the size
//! first (the same rule as the server), and shows the answer in place.

use leptos::prelude::*;

use crate::documents::model::{ACCEPT, DocKind, UploadProblem};

/// Where the upload stands in the browser (the server build only ever
/// renders `Idle`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Progress {
    Idle,
    /// Percent sent.
    Sending(u32),
    Done,
}

/// A form's error: a field (`kind` or `file`) and its message, or a page-level one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadFailure {
    pub field: Option<&'static str>,
    pub message: String,
}

impl UploadFailure {
    pub fn of(p: UploadProblem) -> UploadFailure {
        UploadFailure { field: Some(p.field()), message: p.message().to_string() }
    }
}

#[component]
pub fn UploadForm(
    /// Keeps the ids of several forms on one page apart.
    prefix: String,
    /// The page the form belongs to: `/documents` or `/documents/change`.
    back: &'static str,
    /// The type chosen beforehand (a re-upload, or an answer echoed back).
    #[prop(optional)]
    kind: Option<DocKind>,
    /// The rejected document this file replaces.
    #[prop(optional)]
    replaces: Option<String>,
    /// An answer the server sent back in the address (no JavaScript).
    #[prop(default = None)]
    failure: Option<UploadFailure>,
    /// Called with the new document's id after a hydrated upload.
    on_done: Callback<String>,
    /// Called when a hydrated upload starts (the page hides an old notice).
    #[prop(optional)]
    on_start: Option<Callback<()>>,
    #[prop(optional)] button: Option<&'static str>,
) -> impl IntoView {
    let failure = RwSignal::new(failure);
    let progress = RwSignal::new(Progress::Idle);
    let chosen = RwSignal::new(kind.map(|k| k.as_str().to_string()).unwrap_or_default());
    let kind_id = format!("{prefix}-kind");
    let file_id = format!("{prefix}-file");
    let progress_id = format!("{prefix}-progress");
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            failure.with(|f| f.as_ref().filter(|f| f.field == Some(field)).map(|f| f.message.clone()))
        })
    };
    let kind_error = error_of("kind");
    let file_error = error_of("file");
    let page_error =
        Signal::derive(move || failure.with(|f| f.as_ref().filter(|f| f.field.is_none()).map(|f| f.message.clone())));
    let kind_error_id = format!("{kind_id}-error");
    let file_error_id = format!("{file_id}-error");
    let file_hint_id = format!("{file_id}-hint");
    let file_described = {
        let (hint, err) = (file_hint_id.clone(), file_error_id.clone());
        move || if file_error.with(Option::is_some) { format!("{hint} {err}") } else { hint.clone() }
    };
    let kind_described = {
        let err = kind_error_id.clone();
        move || kind_error.with(Option::is_some).then(|| err.clone())
    };
    let busy = Signal::derive(move || matches!(progress.get(), Progress::Sending(_)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(start) = on_start {
            start.run(());
        }
        #[cfg(feature = "hydrate")]
        browser::send(&ev, failure, progress, on_done);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, on_done);
    };
    view! {
        <form
            method="post"
            action="/api/documents/upload"
            enctype="multipart/form-data"
            class="form upload-form"
            novalidate=true
            on:submit=on_submit
        >
            <input type="hidden" name="back" value=back />
            {replaces.map(|r| view! { <input type="hidden" name="replaces" value=r /> })}
            {move || page_error.get().map(|m| view! { <div class="alert alert-error" role="alert"><p>{m}</p></div> })}
            <div class="field" class:field-invalid=move || kind_error.with(Option::is_some)>
                <label for=kind_id.clone() class="field-label">"Тип документа"</label>
                <select
                    id=kind_id.clone()
                    name="kind"
                    class="field-input"
                    aria-invalid=move || kind_error.with(Option::is_some).then_some("true")
                    aria-describedby=kind_described
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    <option value="" selected=move || chosen.with(String::is_empty)>"Выберите тип документа"</option>
                    {DocKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || chosen.with(|c| c == k.as_str())>{k.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id=kind_error_id hidden=move || kind_error.with(Option::is_none)>{move || kind_error.get()}</p>
            </div>
            <div class="field" class:field-invalid=move || file_error.with(Option::is_some)>
                <label for=file_id.clone() class="field-label">"Файл"</label>
                <p class="field-hint" id=file_hint_id>"PDF, JPG или PNG, не больше 5 МБ. Скан или фотография, на которой хорошо читаются все данные"</p>
                <input
                    id=file_id.clone()
                    name="file"
                    type="file"
                    class="field-input field-file"
                    accept=ACCEPT
                    aria-invalid=move || file_error.with(Option::is_some).then_some("true")
                    aria-describedby=file_described
                    on:change=move |_| failure.set(None)
                />
                <p class="field-error" id=file_error_id hidden=move || file_error.with(Option::is_none)>{move || file_error.get()}</p>
            </div>
            <div class="upload-progress" hidden=move || progress.with(|p| *p == Progress::Idle)>
                <label for=progress_id.clone() class="field-label">
                    {move || match progress.get() {
                        Progress::Done => "Файл загружен и отправлен на проверку".to_string(),
                        Progress::Sending(p) => format!("Загрузка файла: {p} %"),
                        Progress::Idle => String::new(),
                    }}
                </label>
                <progress
                    id=progress_id
                    max="100"
                    value=move || match progress.get() { Progress::Sending(p) => p, Progress::Done => 100, Progress::Idle => 0 }
                ></progress>
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || busy.get() aria-busy=move || busy.get().then_some("true")>
                {button.unwrap_or("Загрузить")}
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{FormData, HtmlFormElement, HtmlInputElement, ProgressEvent, XmlHttpRequest};

    use super::{Progress, UploadFailure};
    use crate::documents::model::{UploadProblem, check_size};
    use crate::error::AppError;

    /// The handlers of the upload in flight; replaced (and so freed) by the next.
    struct Handlers {
        _progress: Closure<dyn FnMut(ProgressEvent)>,
        _load: Closure<dyn FnMut()>,
        _error: Closure<dyn FnMut()>,
    }

    thread_local! {
        static IN_FLIGHT: RefCell<Option<Handlers>> = const { RefCell::new(None) };
    }

    fn network() -> UploadFailure {
        UploadFailure { field: None, message: AppError::Network.to_string() }
    }

    pub fn send(
        ev: &leptos::ev::SubmitEvent,
        failure: RwSignal<Option<UploadFailure>>,
        progress: RwSignal<Progress>,
        on_done: Callback<String>,
    ) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        let fail = move |f: UploadFailure| {
            failure.set(Some(f));
            progress.set(Progress::Idle);
        };
        let kind = form
            .elements()
            .named_item("kind")
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        if kind.is_empty() {
            return fail(UploadFailure::of(UploadProblem::Kind));
        }
        let file = form
            .elements()
            .named_item("file")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else { return fail(UploadFailure::of(UploadProblem::NoFile)) };
        if let Err(p) = check_size(file.size() as u64) {
            return fail(UploadFailure::of(p));
        }
        let (Ok(data), Ok(xhr)) = (FormData::new_with_form(&form), XmlHttpRequest::new()) else {
            return fail(network());
        };
        failure.set(None);
        progress.set(Progress::Sending(0));
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let pct = (e.loaded() / e.total() * 100.0).clamp(0.0, 100.0) as u32;
                // 100 % only when the server has answered.
                progress.set(Progress::Sending(pct.min(99)));
            }
        });
        let answer = xhr.clone();
        let form_done = form.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = answer.status().unwrap_or(0);
            let body = answer.response_text().ok().flatten().unwrap_or_default();
            if status == 200 {
                let id = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
                    .unwrap_or_default();
                progress.set(Progress::Done);
                form_done.reset();
                on_done.run(id);
                return;
            }
            let failure = match serde_json::from_str::<AppError>(&body) {
                Ok(e) => match (e.field_message("file"), e.field_message("kind")) {
                    (Some(m), _) => UploadFailure { field: Some("file"), message: m },
                    (None, Some(m)) => UploadFailure { field: Some("kind"), message: m },
                    _ => UploadFailure { field: None, message: e.to_string() },
                },
                Err(_) => network(),
            };
            fail(failure);
        });
        let on_error = Closure::<dyn FnMut()>::new(move || fail(network()));
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let sent = xhr
            .open("POST", &form.action())
            .and_then(|_| xhr.set_request_header("Accept", "application/json"))
            .and_then(|_| xhr.send_with_opt_form_data(Some(&data)));
        IN_FLIGHT
            .with(|h| *h.borrow_mut() = Some(Handlers { _progress: on_progress, _load: on_load, _error: on_error }));
        if sent.is_err() {
            fail(network());
        }
    }
}
