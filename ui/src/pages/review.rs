//! Revisão: values from an import (or, later, Moloni) that differ from what is stored, side by side, settled one
//! by one: keep the stored value or take the incoming one (which is stored like an edit in the form).

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, Resolution, ReviewItem};
use yew::prelude::*;

/// The review list.
#[function_component(ReviewPage)]
pub fn review_page() -> Html {
    let lang = use_lang();
    let items = use_state(|| None::<Result<Vec<ReviewItem>, AppError>>);
    let error = use_state(|| None::<AppError>);
    let tick = use_state(|| 0u32);
    {
        let items = items.clone();
        use_effect_with(*tick, move |_| {
            wasm_bindgen_futures::spawn_local(async move { items.set(Some(ipc::review_list().await)) });
        });
    }
    let resolve = |id: i64, r: Resolution| {
        let (tick, error) = (tick.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (tick, error) = (tick.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::review_resolve(id, r).await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(e)),
                }
                tick.set(*tick + 1);
            });
        })
    };
    html! {
        <section class="page review">
            <div class="page-head"><h1>{ tr(lang, "Revisão", "Review") }</h1></div>
            <p class="muted">{ tr(lang, "Valores recebidos que diferem dos guardados: nada foi substituído sem a sua decisão.",
                "Incoming values that differ from the stored ones: nothing was overwritten without your decision.") }</p>
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            { match &*items {
                None => html! { <p class="loading">{ tr(lang, "A carregar…", "Loading…") }</p> },
                Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
                Some(Ok(list)) if list.is_empty() => html! { <p class="empty" id="review-empty">{ tr(lang, "Nada por rever.", "Nothing to review.") }</p> },
                Some(Ok(list)) => html! {
                    <table class="list" id="review-list">
                        <thead><tr>
                            <th>{ tr(lang, "Registo", "Record") }</th><th>{ tr(lang, "Campo", "Field") }</th>
                            <th>{ tr(lang, "Guardado", "Stored") }</th><th>{ tr(lang, "Recebido", "Incoming") }</th>
                            <th>{ tr(lang, "Origem", "Source") }</th><th></th>
                        </tr></thead>
                        <tbody>{ for list.iter().enumerate().map(|(i, it)| html! {
                            <tr id={format!("review-{i}")}>
                                <td>{ &it.record }</td>
                                <td>{ desk_model::customer::field_label(&it.field).get(lang).to_string() }</td>
                                <td class="current">{ &it.current }</td>
                                <td class="incoming">{ &it.incoming }</td>
                                <td class="muted">{ &it.source }</td>
                                <td class="actions">
                                    <button type="button" class="secondary" id={format!("review-keep-{i}")} onclick={resolve(it.id, Resolution::KeepCurrent)}>{ tr(lang, "Manter", "Keep") }</button>
                                    <button type="button" class="primary" id={format!("review-take-{i}")} onclick={resolve(it.id, Resolution::TakeIncoming)}>{ tr(lang, "Usar o recebido", "Take incoming") }</button>
                                </td>
                            </tr>
                        }) }</tbody>
                    </table>
                },
            } }
        </section>
    }
}
