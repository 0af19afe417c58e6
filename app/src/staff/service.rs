//! The rules of staff accounts. Who may act is decided here, from the
//! `Caller`: only an administrator manages staff, never on their own
//! account's administrator role or access; the server console
//! (`portal create-staff`) may create staff with no administrator yet.

use chrono::{DateTime, Utc};

use super::dto::{AuditEntry, StaffList, StaffMember};
use super::model::{Assignment, NewStaff, StaffForm, check_assignment, check_form};
use super::store::{self, Author, NewAccount};
use crate::auth::Role;
use crate::auth::caller::StaffCaller;
use crate::auth::policy::PasswordPolicy;
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::outbox::{self, Channel, NewMessage};

/// Who changes staff accounts.
pub enum Actor<'a> {
    /// A signed-in administrator (a strong session: see `StaffCaller`).
    Admin(&'a StaffCaller),
    /// `portal create-staff`, run by whoever runs the server.
    Console,
}

impl Actor<'_> {
    /// The administrator acting through `caller`, or «Недостаточно прав».
    pub fn admin(caller: &StaffCaller) -> Result<Actor<'_>, AppError> {
        caller.require_role(Role::Admin)?;
        Ok(Actor::Admin(caller))
    }

    fn author(&self) -> Author {
        match self {
            Actor::Admin(c) => Author { account: Some(c.key()), name: c.account.full_name() },
            Actor::Console => {
                Author { account: None, name: "Консоль сервера (portal create-staff)".to_string() }
            }
        }
    }

    fn is(&self, key: &str) -> bool {
        matches!(self, Actor::Admin(c) if c.key() == key)
    }
}

const PHONE_TAKEN: &str = "Этот номер уже используется для входа другой учётной записью";
const NOT_STAFF: &str = "Сотрудник не найден";

fn roles_text(a: &Assignment) -> String {
    let mut parts: Vec<String> = a.roles.iter().map(|r| r.label().to_string()).collect();
    if let Some(d) = &a.department {
        parts.push(format!("ведомство: {d}"));
    }
    if let Some(o) = &a.office {
        parts.push(format!("офис: {o}"));
    }
    parts.join(", ")
}

/// A new staff account with a temporary password, to be changed at the
/// first sign-in. Returns the account key and the password (the console
/// prints it; the administrator's page sends it to the new member's phone).
pub async fn create(
    db: &Db,
    policy: &PasswordPolicy,
    actor: &Actor<'_>,
    form: &StaffForm,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let staff: NewStaff = check_form(form).map_err(AppError::fields)?;
    let password = crate::auth::accounts::temporary_password(policy);
    let key = uuid::Uuid::new_v4().simple().to_string();
    let new = NewAccount {
        key: &key,
        surname: &staff.surname,
        name: &staff.name,
        patronymic: staff.patronymic.as_deref(),
        phone: &staff.phone,
        email: staff.email.as_deref(),
        assignment: &staff.assignment,
        password_hash: crate::platform::password::hash(password.clone()).await?,
    };
    if !store::create(db, new, &actor.author(), roles_text(&staff.assignment), now).await? {
        return Err(AppError::field("phone", PHONE_TAKEN));
    }
    Ok((key, password))
}

/// Sends a temporary password to the member's phone — the one the
/// administrator entered, which is the login — and nowhere else: an e-mail
/// address nobody confirmed must not receive a way in.
pub async fn send_temporary_password(
    db: &Db,
    public_url: &str,
    phone: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let text = format!(
        "Госпортал: временный пароль вашей учётной записи сотрудника: {password}. Он действует 72 часа. \
         Войдите на {public_url}/login, смените его и подключите приложение-аутентификатор."
    );
    let sms = NewMessage {
        channel: Channel::Sms,
        recipient: phone.to_string(),
        subject: None,
        body: text,
        sensitive: true,
        expires_at: None,
    };
    outbox::enqueue(db, sms, now).await?;
    Ok(())
}

/// The staff account `key` (a citizen account is «not found» here).
async fn target(db: &Db, key: &str) -> Result<crate::auth::accounts::AccountRow, AppError> {
    store::load(db, key).await?.filter(|a| !a.roles.is_empty()).ok_or_else(|| AppError::invalid(NOT_STAFF))
}

/// New roles for a staff member (at least one). An administrator keeps
/// their own administrator role: another administrator must take it away.
pub async fn set_roles(
    db: &Db,
    actor: &Actor<'_>,
    key: &str,
    roles: &[Role],
    department: &str,
    office: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = target(db, key).await?;
    let assignment = check_assignment(roles, department, office).map_err(AppError::fields)?;
    if actor.is(key) && !assignment.roles.contains(&Role::Admin) {
        return Err(AppError::field("roles", "Нельзя снять роль администратора с самого себя"));
    }
    store::set_roles(db, &t, &assignment, &actor.author(), roles_text(&assignment), now).await
}

/// «Выдать новый временный пароль»: for a member who lost their app or
/// phone, or whose strong second step was removed («Это был не я»). Their
/// sessions end, their app, passkeys and backup codes go, and the new
/// temporary password (to change at the next sign-in, where a new app is
/// set up) goes to their phone. Returns it and that phone.
pub async fn reset(
    db: &Db,
    policy: &PasswordPolicy,
    actor: &Actor<'_>,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let t = target(db, key).await?;
    if actor.is(key) {
        return Err(AppError::invalid("Свой пароль меняйте в разделе «Безопасность»"));
    }
    let password = crate::auth::accounts::temporary_password(policy);
    let hash = crate::platform::password::hash(password.clone()).await?;
    store::reset(db, &t, hash, &actor.author(), now).await?;
    Ok((password, t.phone.clone().unwrap_or_default()))
}

/// «Отключить»: the member signs in no more and every session of theirs
/// ends at once.
pub async fn disable(db: &Db, actor: &Actor<'_>, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let t = target(db, key).await?;
    if actor.is(key) {
        return Err(AppError::invalid("Нельзя отключить самого себя"));
    }
    store::set_disabled(db, &t, true, &actor.author(), now).await
}

/// «Включить» a disabled member again.
pub async fn enable(db: &Db, actor: &Actor<'_>, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let t = target(db, key).await?;
    store::set_disabled(db, &t, false, &actor.author(), now).await
}

/// «Сотрудники» with the newest journal lines.
pub async fn list(db: &Db, actor: &Actor<'_>) -> Result<StaffList, AppError> {
    let rows = store::list(db).await?;
    let strong = store::with_strong_step(db, rows.iter().map(|a| a.key()).collect()).await?;
    let members = rows
        .into_iter()
        .map(|a| {
            let key = a.key();
            StaffMember {
                name: a.full_name(),
                phone: a.phone.as_deref().map(crate::format::pretty_phone).unwrap_or_default(),
                email: a.email.clone(),
                roles: a.roles.clone(),
                department: a.department.clone(),
                office: a.office.clone(),
                disabled: a.disabled,
                second_step: strong.contains(&key),
                me: actor.is(&key),
                id: key,
            }
        })
        .collect();
    let audit = store::audit(db, 50)
        .await?
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::format::msk(r.at),
            actor: r.actor_name,
            target: r.target_name,
            action: r.action.label().to_string(),
            details: r.details,
        })
        .collect();
    Ok(StaffList { members, audit })
}

/// Citizens' reports of a look at their data they did not expect, with the
/// staff member behind each (administrators see names; citizens do not).
pub async fn access_alerts(db: &Db, _actor: &Actor<'_>) -> Result<Vec<super::dto::AccessAlert>, AppError> {
    let alerts = crate::auth::access::open_alerts(db, 200).await?;
    let mut out = Vec::with_capacity(alerts.len());
    for a in alerts {
        let name = |acc: Option<crate::auth::accounts::AccountRow>, fallback: &str| {
            acc.map(|r| r.short_name()).unwrap_or_else(|| fallback.to_string())
        };
        let citizen = match &a.citizen {
            Some(key) => name(crate::auth::accounts::load(db, key).await?, key),
            None => String::new(),
        };
        let (staff, access) = match &a.access {
            Some(x) => {
                let who = name(crate::auth::accounts::load(db, &x.staff).await?, &x.staff);
                let unit = x.unit.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
                (
                    format!("{who} ({}{unit})", x.role.label()),
                    format!("{}: {} — {}", crate::format::msk(x.at), x.what, x.why),
                )
            }
            None => (String::new(), String::new()),
        };
        out.push(super::dto::AccessAlert {
            key: crate::platform::db::record_key(&a.id),
            at: crate::format::msk(a.at),
            citizen,
            staff,
            access,
            note: a.text,
        });
    }
    Ok(out)
}
