//! The online application form: one labelled input per field of the case's form, checked as
//! the user types with the same rule the server applies (`rules::form::validate_field`), and
//! saved automatically (debounced while typing, at once on leaving a field). Each input takes at
//! most `rules::form::max_chars` characters (the limit the autosave and the submission apply)
//! and counts down near it; a failed save is said under the field it concerns, and what was
//! typed stays on the page and is saved again.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use leptos::prelude::*;

use crate::api::{BundleApplication, CaseDetail, CompanyFacts, DraftUpdate, FieldKind, FieldSpec};
use crate::rules::form::{length_counter, max_chars, validate_field};
use crate::rules::tailor::Answers;
use crate::ui::browser;
use crate::ui::components::case_view::clock_now;
use crate::ui::endpoints::bundles;
use crate::ui::endpoints::cases::{self as endpoints, case_url, sleep};
use crate::ui::http::{ApiFailure, ApiResult};

const SAVE_AFTER: Duration = Duration::from_millis(800);
/// A save the network lost is tried again after this long (and on the next change).
const RETRY_AFTER: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Idle,
    Saving,
    Saved(String),
    Failed(String),
}

/// What saving a draft sends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Saves {
    /// A case: `DraftUpdate`.
    Case,
    /// A 一件事 application: `BundleApplication` (with 企业开办's company facts).
    Bundle,
}

/// A draft being edited: its values, errors and autosave state. `Copy`, so every handler can
/// hold it.
#[derive(Clone, Copy)]
pub struct Draft {
    /// The application's API address (`/api/applications/{id}` or
    /// `/api/bundle-applications/{id}`); saving is `PUT` there.
    url: StoredValue<String>,
    saves: Saves,
    specs: StoredValue<Vec<FieldSpec>>,
    values: StoredValue<BTreeMap<String, String>>,
    answers: StoredValue<BTreeMap<String, String>>,
    /// 企业开办's company facts, saved with a 一件事 draft.
    company: StoredValue<Option<CompanyFacts>>,
    touched: StoredValue<BTreeSet<String>>,
    /// The field typed in last: a save the network lost is said under it.
    last_field: StoredValue<Option<String>>,
    /// Why the last save failed, under the field it concerns (field id, message).
    save_problem: RwSignal<Option<(String, String)>>,
    /// Told each saved case as the server answers it (its materials follow the 情形 answers).
    on_saved: StoredValue<Option<Callback<CaseDetail>>>,
    /// Field id (or `material:<id>`) → message.
    pub errors: RwSignal<BTreeMap<String, String>>,
    pub state: RwSignal<SaveState>,
    dirty: StoredValue<bool>,
    saving: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

/// Full-length values are checked even before the field is left: a complete 身份证号码 with a
/// wrong check digit is worth saying at once.
fn complete(kind: FieldKind, value: &str) -> bool {
    // Counted as the rules will read the value: full-width digits, dashes, +86 folded away.
    match kind {
        FieldKind::IdCard | FieldKind::Uscc => {
            crate::rules::normalize_number(value).chars().count() >= 18
        }
        FieldKind::Mobile => crate::rules::phone::normalize_mobile(value).chars().count() >= 11,
        FieldKind::Date | FieldKind::Choice => true,
        _ => false,
    }
}

impl Draft {
    /// The draft of a single case.
    pub fn of_case(detail: &CaseDetail, errors: RwSignal<BTreeMap<String, String>>) -> Draft {
        Draft::with(
            Saves::Case,
            case_url(&detail.summary.id, ""),
            detail.form_spec.clone(),
            detail.form.clone(),
            detail.answers.clone(),
            errors,
        )
    }

    /// The draft of a 一件事 application, saved with `PUT url` as a `BundleApplication`
    /// (with the company facts of [`Draft::set_company`]).
    pub fn new(
        url: String,
        specs: Vec<FieldSpec>,
        values: BTreeMap<String, String>,
        answers: BTreeMap<String, String>,
        errors: RwSignal<BTreeMap<String, String>>,
    ) -> Draft {
        Draft::with(Saves::Bundle, url, specs, values, answers, errors)
    }

    fn with(
        saves: Saves,
        url: String,
        specs: Vec<FieldSpec>,
        values: BTreeMap<String, String>,
        answers: BTreeMap<String, String>,
        errors: RwSignal<BTreeMap<String, String>>,
    ) -> Draft {
        Draft {
            url: StoredValue::new(url),
            saves,
            specs: StoredValue::new(specs),
            values: StoredValue::new(values),
            answers: StoredValue::new(answers),
            company: StoredValue::new(None),
            touched: StoredValue::new(BTreeSet::new()),
            last_field: StoredValue::new(None),
            save_problem: RwSignal::new(None),
            on_saved: StoredValue::new(None),
            errors,
            state: RwSignal::new(SaveState::Idle),
            dirty: StoredValue::new(false),
            saving: StoredValue::new(false),
            timer: StoredValue::new(None),
        }
    }

    fn check(self, id: &str) {
        let value = self
            .values
            .with_value(|v| v.get(id).cloned().unwrap_or_default());
        let result = self.specs.with_value(|specs| {
            specs
                .iter()
                .find(|s| s.id == id)
                .map(|spec| validate_field(spec, &value, browser::today_in_beijing()))
        });
        self.errors.update(|e| match result {
            Some(Err(error)) => {
                e.insert(id.to_string(), error.message);
            }
            _ => {
                e.remove(id);
            }
        });
    }

    fn input(self, spec: &FieldSpec, value: String) {
        let id = &spec.id;
        self.last_field.set_value(Some(id.clone()));
        let show = self.touched.with_value(|t| t.contains(id))
            || self.errors.with_untracked(|e| e.contains_key(id))
            || complete(spec.kind, &value);
        self.values.update_value(|v| {
            v.insert(id.clone(), value);
        });
        if show {
            self.check(id);
        }
        self.changed();
    }

    /// The 情形 answers now (the form's questions start from the saved ones).
    pub fn answers(self) -> Answers {
        self.answers.get_value()
    }

    /// New 情形 answers: saved at once (see [`Draft::on_saved`] for what follows them).
    pub fn set_answers(self, answers: Answers) {
        if self.answers.with_value(|a| *a == answers) {
            return;
        }
        self.answers.set_value(answers);
        self.dirty.set_value(true);
        self.save();
    }

    /// Calls `saved` with each case the server answers a save with: the materials and open
    /// questions it tailored to the saved answers.
    pub fn on_saved(self, saved: Callback<CaseDetail>) {
        self.on_saved.set_value(Some(saved));
    }

    /// Replaces the company facts and saves them after a pause, like typing.
    pub fn set_company(self, facts: CompanyFacts) {
        self.company.set_value(Some(facts));
        self.changed();
    }

    /// `PUT` of what is on the page now; `None` when the page was left meanwhile.
    async fn put(self) -> Option<ApiResult<()>> {
        let form = self.values.try_get_value()?;
        let answers = self.answers.try_get_value()?;
        let url = self.url.try_get_value()?;
        Some(match self.saves {
            Saves::Case => endpoints::save_draft(&url, &DraftUpdate { form, answers })
                .await
                .map(|saved| {
                    if let Some(on_saved) = self.on_saved.try_get_value().flatten() {
                        on_saved.run(saved);
                    }
                }),
            Saves::Bundle => {
                let company = self.company.try_get_value().flatten();
                let update = BundleApplication {
                    answers,
                    form,
                    company,
                };
                bundles::save(&url, &update).await.map(drop)
            }
        })
    }

    /// Something changed: save after a pause in typing.
    fn changed(self) {
        self.dirty.set_value(true);
        self.stop_timer();
        let handle = set_timeout_with_handle(move || self.save(), SAVE_AFTER).ok();
        self.timer.set_value(handle);
    }

    fn blur(self, id: &str) {
        self.touched.update_value(|t| {
            t.insert(id.to_string());
        });
        self.check(id);
        self.save();
    }

    // Reads use the `try_` forms from here on: a timer or an answer may arrive after the page
    // was left and its values were dropped.
    fn stop_timer(self) {
        if let Some(handle) = self.timer.try_get_value().flatten() {
            handle.clear();
        }
        self.timer.set_value(None);
    }

    fn is(flag: StoredValue<bool>) -> bool {
        flag.try_get_value().unwrap_or(false)
    }

    /// Saves in the background when something changed since the last save.
    pub fn save(self) {
        self.stop_timer();
        if Self::is(self.dirty) && !Self::is(self.saving) {
            leptos::task::spawn_local(async move {
                let _ = self.flush().await;
            });
        }
    }

    /// Saves now, after any save already under way; `Err` when the server refused or the network
    /// failed (the values stay on the page and are saved on the next change).
    pub async fn flush(self) -> Result<(), ApiFailure> {
        self.stop_timer();
        while Self::is(self.saving) {
            sleep(100).await;
        }
        if !Self::is(self.dirty) {
            return Ok(());
        }
        self.saving.set_value(true);
        self.state.set(SaveState::Saving);
        let mut result = Ok(());
        // Changes typed while a save was on its way are saved right after it.
        while Self::is(self.dirty) {
            self.dirty.set_value(false);
            let Some(answer) = self.put().await else {
                break;
            };
            if let Err(failure) = answer {
                self.dirty.set_value(true);
                result = Err(failure);
                break;
            }
        }
        self.saving.set_value(false);
        self.state.set(match &result {
            Ok(()) => SaveState::Saved(clock_now()),
            Err(failure) => SaveState::Failed(failure.message.clone()),
        });
        self.said(&result);
        result
    }

    /// Says a failed save under its field: the server's message for each field it names (a 422
    /// of the length rule), or the network's under the field typed in last. A save the network
    /// lost is tried again shortly.
    fn said(self, result: &Result<(), ApiFailure>) {
        let Err(failure) = result else {
            self.save_problem.set(None);
            return;
        };
        if !failure.fields.is_empty() {
            let fields = failure.fields.clone();
            self.errors.update(|e| e.extend(fields));
            self.save_problem.set(None);
            return;
        }
        let field = self
            .last_field
            .try_get_value()
            .flatten()
            .unwrap_or_default();
        let message = if failure.status == 0 {
            "网络连接中断，这一栏刚填写的内容还没有保存。内容仍在本页，连接恢复后会自动保存。"
                .to_string()
        } else {
            format!("这一栏刚填写的内容没有保存：{}", failure.message)
        };
        self.save_problem.set(Some((field, message)));
        if failure.status == 0 {
            let handle = set_timeout_with_handle(move || self.save(), RETRY_AFTER).ok();
            self.timer.set_value(handle);
        }
    }
}

/// The autosave line: "已自动保存 14:05".
#[component]
pub fn SaveStatus(draft: Draft) -> impl IntoView {
    let text = move || match draft.state.get() {
        SaveState::Idle => "填写的内容会自动保存，关闭页面也不会丢失".to_string(),
        SaveState::Saving => "正在保存…".to_string(),
        SaveState::Saved(at) => format!("已自动保存 {at}"),
        SaveState::Failed(why) => format!("自动保存失败：{why}"),
    };
    let class = move || match draft.state.get() {
        SaveState::Failed(_) => "save-status save-status--failed",
        _ => "save-status",
    };
    view! { <p class=class role="status">{text}</p> }
}

/// `type`, `inputmode` and `autocomplete` of a one-line input.
fn input_kind(spec: &FieldSpec) -> (&'static str, Option<&'static str>, &'static str) {
    match spec.kind {
        FieldKind::Mobile => ("tel", Some("tel"), "tel"),
        FieldKind::Date => ("date", None, "off"),
        FieldKind::Number => ("text", Some("decimal"), "off"),
        FieldKind::Address => ("text", None, "street-address"),
        FieldKind::Text if spec.id.ends_with("_name") && spec.id != "company_name" => {
            ("text", None, "name")
        }
        FieldKind::Text if spec.id == "company_name" => ("text", None, "organization"),
        _ => ("text", None, "off"),
    }
}

fn field_view(draft: Draft, spec: FieldSpec) -> AnyView {
    let input_id = format!("f-{}", spec.id);
    let described = described_by(&input_id, spec.help.is_some());
    let initial = draft
        .values
        .with_value(|v| v.get(&spec.id).cloned().unwrap_or_default());
    let error = {
        let id = spec.id.clone();
        move || draft.errors.with(|e| e.get(&id).cloned())
    };
    let invalid = {
        let error = error.clone();
        move || error().map(|_| "true")
    };
    let typed = RwSignal::new(initial.clone());
    let on_input = {
        let spec = spec.clone();
        move |ev| {
            let value = event_target_value(&ev);
            typed.set(value.clone());
            draft.input(&spec, value)
        }
    };
    let max = max_chars(spec.kind).to_string();
    let field_kind = spec.kind;
    let counter = move || typed.with(|v| length_counter(field_kind, v));
    let save_problem = {
        let id = spec.id.clone();
        move || {
            draft
                .save_problem
                .with(|p| p.as_ref().filter(|(f, _)| *f == id).map(|(_, m)| m.clone()))
        }
    };
    let on_blur = {
        let id = spec.id.clone();
        move |_| draft.blur(&id)
    };
    let control = match spec.kind {
        FieldKind::LongText => view! {
            <textarea
                id=input_id.clone()
                class="input"
                rows="4"
                maxlength=max.clone()
                aria-describedby=described
                aria-invalid=invalid
                prop:value=initial
                on:input=on_input
                on:blur=on_blur
            ></textarea>
        }
        .into_any(),
        FieldKind::Choice => {
            let options = spec
                .options
                .iter()
                .map(|o| view! { <option value=o.clone() selected=*o == initial>{o.clone()}</option> })
                .collect_view();
            view! {
                <select
                    id=input_id.clone()
                    class="input"
                    aria-describedby=described
                    aria-invalid=invalid
                    on:change=on_input
                    on:blur=on_blur
                >
                    <option value="">"请选择"</option>
                    {options}
                </select>
            }
            .into_any()
        }
        _ => {
            let (kind, mode, auto) = input_kind(&spec);
            view! {
                <input
                    id=input_id.clone()
                    class="input"
                    type=kind
                    inputmode=mode
                    autocomplete=auto
                    maxlength=(field_kind != FieldKind::Date).then(|| max.clone())
                    aria-describedby=described
                    aria-invalid=invalid
                    prop:value=initial
                    on:input=on_input
                    on:blur=on_blur
                />
            }
            .into_any()
        }
    };
    let control = view! {
        {control}
        <p class="field__count" aria-live="polite">{counter}</p>
        <p class="field__error field__save-problem" role="alert">{save_problem}</p>
    }
    .into_any();
    labelled_field(
        input_id,
        spec.label,
        spec.required,
        spec.help,
        control,
        error,
    )
}

/// The `aria-describedby` of the input `input_id` in a [`labelled_field`]: its help text (when
/// there is one), then its error line.
pub fn described_by(input_id: &str, has_help: bool) -> String {
    let error_id = format!("{input_id}-error");
    if has_help {
        format!("{input_id}-help {error_id}")
    } else {
        error_id
    }
}

/// One field: the label of `input_id` (with 必填 or 选填), the help text, `control` and the error
/// line.
pub fn labelled_field(
    input_id: String,
    label: String,
    required: bool,
    help: Option<String>,
    control: AnyView,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> AnyView {
    let help_id = format!("{input_id}-help");
    let error_id = format!("{input_id}-error");
    view! {
        <div class="field">
            <label class="field__label" for=input_id>
                {label}
                <span class="field__need">{if required { "必填" } else { "选填" }}</span>
            </label>
            {help.map(|h| view! { <p class="field__help" id=help_id>{h}</p> })}
            {control}
            <p class="field__error" id=error_id>{error}</p>
        </div>
    }
    .into_any()
}

/// Every field of the draft's form.
#[component]
pub fn FormFields(draft: Draft) -> impl IntoView {
    draft.specs.with_value(|specs| {
        specs
            .iter()
            .map(|spec| field_view(draft, spec.clone()))
            .collect_view()
    })
}

/// Moves the focus (and the view) to the first field or material with an error, once the page
/// shows the errors.
pub fn focus_first_error() {
    request_animation_frame(|| {
        let first = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector("[aria-invalid='true'], .upload--error")
                .ok()
                .flatten()
        });
        if let Some(el) =
            first.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}
