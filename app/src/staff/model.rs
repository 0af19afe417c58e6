//! The rules of a staff member's form that need no database: names and
//! contacts as every form checks them, at least one role, a department for
//! an official and an МФЦ office for an operator. Shared by the page and
//! the server.

use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::auth::identifier::{normalize_email, normalize_phone};
use crate::auth::names::validate_name;

/// «Добавить сотрудника» as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub phone: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub department: String,
    pub office: String,
}

/// A checked form: normal forms of every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub assignment: Assignment,
}

/// Roles with what they need: an official's department, an operator's office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub roles: Vec<Role>,
    pub department: Option<String>,
    pub office: Option<String>,
}

/// A department or office: trimmed, 2..=120 characters, no control characters.
fn place(input: &str, what: &str) -> Result<Option<String>, String> {
    let v = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        return Ok(None);
    }
    let n = v.chars().count();
    if !(2..=120).contains(&n) || v.chars().any(char::is_control) {
        return Err(format!("{what}: от 2 до 120 символов"));
    }
    Ok(Some(v))
}

/// Checks roles with their department and office; every problem with its
/// field (`roles`, `department`, `office`).
pub fn check_assignment(
    roles: &[Role],
    department: &str,
    office: &str,
) -> Result<Assignment, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut roles: Vec<Role> = roles.to_vec();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        errors.push(("roles", "Выберите хотя бы одну роль. Чтобы закрыть доступ, отключите сотрудника".to_string()));
    }
    let department = place(department, "Ведомство").map_err(|m| errors.push(("department", m))).ok().flatten();
    let office = place(office, "Офис МФЦ").map_err(|m| errors.push(("office", m))).ok().flatten();
    if roles.contains(&Role::Official) && department.is_none() && !errors.iter().any(|(f, _)| *f == "department") {
        errors.push(("department", "Укажите ведомство сотрудника ведомства".to_string()));
    }
    if roles.contains(&Role::Operator) && office.is_none() && !errors.iter().any(|(f, _)| *f == "office") {
        errors.push(("office", "Укажите офис МФЦ оператора".to_string()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A department or office is kept only with the role that needs it.
    Ok(Assignment {
        department: department.filter(|_| roles.contains(&Role::Official)),
        office: office.filter(|_| roles.contains(&Role::Operator)),
        roles,
    })
}

/// Checks the whole form; every problem with its field.
pub fn check_form(f: &StaffForm) -> Result<NewStaff, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let surname = validate_name("Фамилия", &f.surname, true).map_err(|m| errors.push(("surname", m))).ok();
    let name = validate_name("Имя", &f.name, true).map_err(|m| errors.push(("name", m))).ok();
    let patronymic = validate_name("Отчество", &f.patronymic, false).map_err(|m| errors.push(("patronymic", m))).ok();
    let phone = normalize_phone(&f.phone).map_err(|m| errors.push(("phone", m.to_string()))).ok();
    let email = if f.email.trim().is_empty() {
        Some(None)
    } else {
        normalize_email(&f.email).map(Some).map_err(|m| errors.push(("email", m.to_string()))).ok()
    };
    let assignment = check_assignment(&f.roles, &f.department, &f.office).map_err(|e| errors.extend(e)).ok();
    match (surname, name, patronymic, phone, email, assignment) {
        (Some(surname), Some(name), Some(patronymic), Some(phone), Some(email), Some(assignment))
            if errors.is_empty() =>
        {
            Ok(NewStaff {
                surname,
                name,
                patronymic: Some(patronymic).filter(|p| !p.is_empty()),
                phone,
                email,
                assignment,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StaffForm {
        StaffForm {
            surname: "Орлова".into(),
            name: "Анна".into(),
            patronymic: String::new(),
            phone: "8 916 555-00-11".into(),
            email: String::new(),
            roles: vec![Role::Support],
            department: String::new(),
            office: String::new(),
        }
    }

    #[test]
    fn a_support_agent_needs_no_department_or_office() {
        let s = check_form(&form()).unwrap();
        assert_eq!(s.phone, "+79165550011");
        assert_eq!(s.assignment.roles, vec![Role::Support]);
        assert_eq!(s.patronymic, None);
    }

    #[test]
    fn an_official_needs_a_department_and_an_operator_an_office() {
        let mut f = form();
        f.roles = vec![Role::Official, Role::Operator];
        let fields: Vec<&str> = check_form(&f).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert!(fields.contains(&"department") && fields.contains(&"office"), "{fields:?}");
        f.department = "  Росреестр ".into();
        f.office = "МФЦ Тверской".into();
        let a = check_form(&f).unwrap().assignment;
        assert_eq!(a.department.as_deref(), Some("Росреестр"));
        assert_eq!(a.office.as_deref(), Some("МФЦ Тверской"));
    }

    #[test]
    fn no_role_is_refused_and_a_place_is_dropped_without_its_role() {
        assert!(check_assignment(&[], "", "").is_err());
        let a = check_assignment(&[Role::Admin, Role::Admin], "Росреестр", "").unwrap();
        assert_eq!(a.roles, vec![Role::Admin]);
        assert_eq!(a.department, None);
    }
}
