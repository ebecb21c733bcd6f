//! `/manager/staff` (centre manager): 工作人员账号 — every account, a new account (with a
//! one-time password shown once), disable or enable, reset the password.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{NewStaffAccount, OneTimePassword, StaffAccount, StaffAccountList, StaffRole};
use crate::rules::staff_account::{check_display_name, check_username};
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::manager_only::admin_crumbs;
use crate::ui::components::status::fetch;
use crate::ui::endpoints::{admin, catalog};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

#[component]
pub fn ManagerStaffPage() -> impl IntoView {
    browser::set_title("工作人员账号");
    let accounts = fetch_signed_in(Signin::Staff, admin::staff_accounts);
    // The one-time password just issued: shown once, until the page is left.
    let issued = RwSignal::new(None::<OneTimePassword>);
    view! {
        {admin_crumbs()}
        <h1 class="page-title">"工作人员账号"</h1>
        {staff_line()}
        <div role="status" aria-live="polite">
            {move || issued.get().map(|o| view! { <IssuedPassword issued=o/> })}
        </div>
        {guard(accounts, Signin::Staff, move |list: StaffAccountList| {
            view! {
                <NewAccountForm issued on_made=move || accounts.refetch()/>
                <AccountTable list issued on_changed=move || accounts.refetch()/>
            }
            .into_any()
        })}
    }
}

#[component]
fn IssuedPassword(issued: OneTimePassword) -> impl IntoView {
    view! {
        <div class="card admin-issued">
            <h2>"一次性密码（只显示这一次）"</h2>
            <p>
                {format!("账号 {}（{}）的一次性密码：", issued.account.username, issued.account.display_name)}
                <code class="admin-issued__password">{issued.one_time_password}</code>
            </p>
            <p class="hint">"请当面或通过安全途径交给本人。本人用它登录时须先设置自己的新密码；服务器只保存密码的散列，此页离开后无法再查看。"</p>
        </div>
    }
}

fn role_label(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Reviewer => "审核人员",
        StaffRole::Manager => "中心管理者",
    }
}

/// 新建账号: user name, name, role and (for reviewers) department.
#[component]
fn NewAccountForm(
    issued: RwSignal<Option<OneTimePassword>>,
    on_made: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let departments = fetch(catalog::catalog);
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Reviewer);
    let department = RwSignal::new(String::new());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.contains_key(field)).then_some("true");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = BTreeMap::new();
        if let Err(e) = check_username(&username.get_untracked()) {
            found.insert("username".to_string(), e.message);
        }
        if let Err(e) = check_display_name(&name.get_untracked()) {
            found.insert("display_name".to_string(), e.message);
        }
        let reviewer = role.get_untracked() == StaffRole::Reviewer;
        if reviewer && department.get_untracked().is_empty() {
            found.insert(
                "department".to_string(),
                "请选择审核人员所属的部门".to_string(),
            );
        }
        errors.set(found.clone());
        problem.set(None);
        if !found.is_empty() {
            focus_first_error();
            return;
        }
        let body = NewStaffAccount {
            username: username.get_untracked().trim().to_string(),
            display_name: name.get_untracked().trim().to_string(),
            role: role.get_untracked(),
            department: reviewer.then(|| department.get_untracked()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match admin::create_staff(&body).await {
                Ok(made) => {
                    issued.set(Some(made));
                    username.set(String::new());
                    name.set(String::new());
                    on_made();
                }
                Err(f) if !f.fields.is_empty() => {
                    errors.set(f.fields);
                    focus_first_error();
                }
                Err(f) => problem.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let options = move || {
        let list = match departments.get() {
            Some(Ok(overview)) => overview.departments,
            _ => Vec::new(),
        };
        list.into_iter()
            .map(|d| {
                let code = d.department.code.clone();
                view! { <option value=code>{d.department.name.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="new-staff-title">
            <h2 id="new-staff-title">"新建账号"</h2>
            <form class="card admin-form" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="new-staff-username">"用户名"</label>
                    <p class="field__help" id="new-staff-username-help">"3–32 位小写字母、数字或 _ . -，例如 ga_wang"</p>
                    <input id="new-staff-username" class="input" type="text" autocomplete="off" autocapitalize="none"
                        aria-describedby="new-staff-username-help new-staff-username-error"
                        aria-invalid=invalid("username")
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))/>
                    <p class="field__error" id="new-staff-username-error">{error("username")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="new-staff-display_name">"姓名"</label>
                    <input id="new-staff-display_name" class="input" type="text" autocomplete="off"
                        aria-describedby="new-staff-display_name-error"
                        aria-invalid=invalid("display_name")
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p class="field__error" id="new-staff-display_name-error">{error("display_name")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="new-staff-role">"身份"</label>
                    <select id="new-staff-role" class="input"
                        on:change=move |ev| {
                            role.set(if event_target_value(&ev) == "manager" { StaffRole::Manager } else { StaffRole::Reviewer });
                        }>
                        <option value="reviewer" selected=true>"部门审核人员（只看本部门办件）"</option>
                        <option value="manager">"中心管理者（全部部门与中心管理）"</option>
                    </select>
                </div>
                {move || (role.get() == StaffRole::Reviewer).then(|| view! {
                    <div class="field">
                        <label class="field__label" for="new-staff-department">"所属部门"</label>
                        <select id="new-staff-department" class="input"
                            aria-describedby="new-staff-department-error"
                            aria-invalid=invalid("department")
                            on:change=move |ev| department.set(event_target_value(&ev))>
                            <option value="" selected=move || department.get().is_empty()>"请选择部门"</option>
                            {options}
                        </select>
                        <p class="field__error" id="new-staff-department-error">{error("department")}</p>
                    </div>
                })}
                <div role="alert">{move || problem.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
                <button type="submit" class="button button--primary" disabled=move || busy.get()>
                    "创建账号并生成一次性密码"
                </button>
            </form>
        </section>
    }
}

#[component]
fn AccountTable(
    list: StaffAccountList,
    issued: RwSignal<Option<OneTimePassword>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let rows = list
        .accounts
        .into_iter()
        .map(|a| view! { <AccountRow account=a issued problem on_changed/> })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="staff-list-title">
            <h2 id="staff-list-title">"全部账号"</h2>
            <div role="alert">{move || problem.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
            <div class="admin-table-wrap" tabindex="0" role="region" aria-label="工作人员账号表（可横向滚动）">
                <table class="admin-table">
                    <caption class="visually-hidden">"工作人员账号"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"用户名"</th>
                            <th scope="col">"姓名"</th>
                            <th scope="col">"身份"</th>
                            <th scope="col">"部门"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn AccountRow(
    account: StaffAccount,
    issued: RwSignal<Option<OneTimePassword>>,
    problem: RwSignal<Option<String>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let username = StoredValue::new(account.username.clone());
    let enabled = account.enabled;
    let status = if !account.enabled {
        "已停用"
    } else if account.must_change_password {
        "待本人设置新密码"
    } else {
        "正常"
    };
    let toggle = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match admin::set_staff_enabled(&username.get_value(), !enabled).await {
                Ok(_) => {
                    problem.set(None);
                    on_changed();
                }
                Err(f) => problem.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let reset = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match admin::reset_staff_password(&username.get_value()).await {
                Ok(made) => {
                    problem.set(None);
                    issued.set(Some(made));
                    on_changed();
                }
                Err(f) => problem.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let who = account.username.clone();
    view! {
        <tr>
            <th scope="row"><code>{account.username.clone()}</code></th>
            <td>{account.display_name.clone()}</td>
            <td>{role_label(account.role)}</td>
            <td>{account.department_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{status}</td>
            <td class="admin-table__actions">
                <button type="button" class="button button--quiet" disabled=move || busy.get() on:click=toggle
                    aria-label=format!("{}账号 {who}", if enabled { "停用" } else { "启用" })>
                    {if enabled { "停用" } else { "启用" }}
                </button>
                <button type="button" class="button button--quiet" disabled=move || busy.get() on:click=reset
                    aria-label=format!("重置密码：账号 {}", account.username)>
                    "重置密码"
                </button>
            </td>
        </tr>
    }
}
