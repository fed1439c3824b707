//! The owner's team page. Plain forms: everything works before (or without) JavaScript.
use super::staff_page;
use crate::{
    api::team::{staff_team, InviteStaff, SetStaffActive, SetStaffRole, INVITE_SENT},
    model::{
        staff::{AccountStatus, StaffRole, TeamMember},
        AppError,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TeamPage() -> impl IntoView {
    let team = Resource::new(|| (), |_| staff_team());
    let invite = ServerAction::<InviteStaff>::new();
    let role = ServerAction::<SetStaffRole>::new();
    let active = ServerAction::<SetStaffActive>::new();
    view! {
        <Title text="Team — staff" />
        {staff_page(
            team,
            move |_, members: Vec<TeamMember>| {
                view! {
                    <section class="page staff team">
                        <h1>"Team"</h1>
                        <p class="small">
                            "Owners manage the team. Office staff handle requests, quotes, jobs and statuses. Technicians see their own day and the requests they have a job on, and post updates and notes."
                        </p>
                        {result_line(role.value())}
                        {result_line(active.value())}
                        <MemberTable members role active />
                        <InviteForm invite />
                    </section>
                }
            },
        )}
    }
}

fn result_line<T: Clone + Send + Sync + 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        value.with(|v| {
            v.as_ref().and_then(|r| r.as_ref().err()).map(|e| {
                view! {
                    <div class="notice error" role="alert">
                        <p>{e.to_string()}</p>
                    </div>
                }
            })
        })
    }
}

#[component]
fn MemberTable(
    members: Vec<TeamMember>,
    role: ServerAction<SetStaffRole>,
    active: ServerAction<SetStaffActive>,
) -> impl IntoView {
    view! {
        <table class="staff-table team-table">
            <thead>
                <tr>
                    <th>"Name"</th>
                    <th>"Email"</th>
                    <th>"Status"</th>
                    <th>"Role"</th>
                    <th>"Account"</th>
                </tr>
            </thead>
            <tbody>
                {members.into_iter().map(|m| view! { <MemberRow m role active /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn MemberRow(
    m: TeamMember,
    role: ServerAction<SetStaffRole>,
    active: ServerAction<SetStaffActive>,
) -> impl IntoView {
    let id = m.id.to_string();
    let id2 = id.clone();
    let deactivated = m.status == AccountStatus::Deactivated;
    let select_id = format!("role-{}", m.id);
    view! {
        <tr class:deactivated=deactivated>
            <td>{m.display_name.clone()} {m.is_demo.then_some(" (demo)")}</td>
            <td>{m.email.clone()}</td>
            <td>
                <span class=format!(
                    "account account-{}",
                    m.status.label().to_lowercase(),
                )>{m.status.label()}</span>
            </td>
            <td>
                <ActionForm action=role attr:class="inline-form team-role">
                    <input type="hidden" name="id" value=id />
                    <label class="visually-hidden" for=select_id.clone()>
                        {format!("Role of {}", m.display_name)}
                    </label>
                    <select id=select_id name="role">
                        {StaffRole::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=r == m.role>
                                        {r.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button type="submit" class="button">
                        "Change role"
                    </button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=active attr:class="inline-form">
                    <input type="hidden" name="id" value=id2 />
                    <input
                        type="hidden"
                        name="active"
                        value=if deactivated { "true" } else { "false" }
                    />
                    <button type="submit" class="button">
                        {if deactivated { "Reactivate" } else { "Deactivate" }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>) -> impl IntoView {
    let invited = crate::ui::components::errors::came_back_with("invited");
    view! {
        <h2>"Invite someone"</h2>
        <p class="small">"They get an email with a link to choose their password."</p>
        <ActionForm action=invite attr:class="message-form invite-form">
            <div class="field">
                <label for="invite-name">"Name"</label>
                <input id="invite-name" name="name" type="text" autocomplete="off" required />
            </div>
            <div class="field">
                <label for="invite-email">"Email"</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" required />
            </div>
            <div class="field">
                <label for="invite-role">"Role"</label>
                <select id="invite-role" name="role">
                    {StaffRole::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <option value=r.as_str() selected=r == StaffRole::Technician>
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button primary">
                "Send invite"
            </button>
        </ActionForm>
        {move || {
            invite
                .value()
                .get()
                .or_else(|| invited.then(|| Ok(INVITE_SENT.to_string())))
                .map(|r| match r {
                    Ok(m) => {
                        view! {
                            <div class="notice ok" role="status">
                                <p>{m}</p>
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{e.to_string()}</p>
                            </div>
                        }
                            .into_any()
                    }
                })
        }}
    }
}
