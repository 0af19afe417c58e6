//! One form field drawn from its definition (`form::FieldDef`): a visible
//! label bound to the input, the hint and the error tied with
//! `aria-describedby`, the stored value. Posts as `answers[<id>]`. A field
//! shown only after another answer hides while its condition is not met
//! (with JavaScript, as the person chooses; without, after «Далее»).

use leptos::prelude::*;

use crate::services::dto::FieldView;
use crate::services::form::{Answers, FieldKind};

#[component]
pub fn FormField(f: FieldView, answers: RwSignal<Answers>) -> impl IntoView {
    let def = f.def.clone();
    let id = format!("f_{}", def.id);
    let name = format!("answers[{}]", def.id);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let mut described = Vec::new();
    if def.hint.is_some() || f.locked {
        described.push(hint_id.clone());
    }
    if f.error.is_some() {
        described.push(error_id.clone());
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = f.error.is_some().then_some("true");
    let shown_def = def.clone();
    let hidden = move || !answers.with(|a| shown_def.shown(a));
    let field_id = def.id.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let k = field_id.clone();
        answers.update(|a| {
            a.insert(k, v);
        });
    };
    let hint = match (&def.hint, f.locked) {
        (_, true) => Some("Из профиля; здесь не меняется".to_string()),
        (Some(h), false) => Some(h.clone()),
        _ => None,
    };
    let label = view! {
        <span>
            {def.label.clone()}
            {def.required.then(|| view! { <span class="field-required" aria-hidden="true">" *"</span> })}
        </span>
    };
    let input = match def.kind {
        FieldKind::Choice => {
            let options = def.options.clone();
            let value = f.value.clone();
            view! {
                <fieldset class="field choice" aria-describedby=described.clone() data-field=def.id.clone()>
                    <legend class="field-label">{label}</legend>
                    {hint.clone().map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let oid = format!("{id}-{i}");
                        let checked = o.value == value;
                        view! {
                            <div class="field-check">
                                <input type="radio" id=oid.clone() name=name.clone() value=o.value.clone() checked=checked
                                    aria-invalid=invalid on:change=on_change.clone() />
                                <label for=oid>{o.label}</label>
                            </div>
                        }
                    }).collect_view()}
                    {f.error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                </fieldset>
            }
            .into_any()
        }
        _ => {
            let control = match def.kind {
                FieldKind::LongText | FieldKind::Address => view! {
                    <textarea id=id.clone() name=name.clone() class="field-input" rows="3"
                        aria-describedby=described.clone() aria-invalid=invalid
                        maxlength=def.max_len.map(|m| m.to_string())
                        on:input=on_change.clone()>{f.value.clone()}</textarea>
                }
                .into_any(),
                FieldKind::Document | FieldKind::File => {
                    let value = f.value.clone();
                    let empty = f.documents.is_empty();
                    view! {
                        <select id=id.clone() name=name.clone() class="field-input" aria-describedby=described.clone()
                            aria-invalid=invalid on:change=on_change.clone()>
                            <option value="">{match (empty, def.kind) {
                                (true, FieldKind::File) => "В «Документах» пока нет файлов",
                                (true, _) => "Нет загруженных документов этого вида",
                                (false, _) => "Выберите документ",
                            }}</option>
                            {f.documents.iter().map(|(i, l)| view! {
                                <option value=i.clone() selected={*i == value}>{l.clone()}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-hint"><a href="/documents">"Загрузить документ в разделе «Документы»"</a></p>
                    }
                    .into_any()
                }
                _ => {
                    let (ty, mode, placeholder) = match def.kind {
                        FieldKind::Date => ("text", Some("numeric"), Some("ДД.ММ.ГГГГ")),
                        FieldKind::Number => ("text", Some("numeric"), None),
                        _ => ("text", None, None),
                    };
                    view! {
                        <input id=id.clone() name=name.clone() class="field-input" type=ty inputmode=mode placeholder=placeholder
                            value=f.value.clone() readonly=f.locked aria-describedby=described.clone() aria-invalid=invalid
                            maxlength=def.max_len.map(|m| m.to_string()) on:input=on_change.clone() />
                    }
                    .into_any()
                }
            };
            view! {
                <div class="field" class:field-invalid=f.error.is_some() data-field=def.id.clone()>
                    <label for=id.clone() class="field-label">{label}</label>
                    {hint.clone().map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
                    {control}
                    {f.error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                </div>
            }
            .into_any()
        }
    };
    view! { <div class="form-field" hidden=hidden>{input}</div> }
}
