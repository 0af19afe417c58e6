//! The simulated registries (dev mode and tests): a simulated system of the
//! exchange (`platform::exchange_sim`) that answers from `registry::PERSONS`.

use super::registry::{self, PASSPORT_SYSTEM, SNILS_SYSTEM};
use crate::platform::exchange::Reply;
use crate::platform::exchange_settings::RegistrySimulation;
pub use crate::platform::exchange_sim::SimulatedSystem as SimulatedRegistries;

/// The registries' reply to a request, from their people.
fn reply(system: &str, payload: &str) -> Reply {
    let persons = registry::PERSONS;
    let answer = match system {
        SNILS_SYSTEM => serde_json::from_str(payload).map(|q| registry::answer_snils(persons, &q)),
        PASSPORT_SYSTEM => serde_json::from_str(payload).map(|q| registry::answer_passport(persons, &q)),
        other => return Reply::Refused(format!("неизвестный вид сведений: {other}")),
    };
    match answer.map(|a| serde_json::to_string(&a)) {
        Ok(Ok(json)) => Reply::Answer(json),
        _ => Reply::Refused("запрос не соответствует формату вида сведений".into()),
    }
}

/// The simulated registries with these delays and faults.
pub fn registries(settings: RegistrySimulation) -> SimulatedRegistries {
    SimulatedRegistries::new(settings, Box::new(|system, payload, _now| reply(system, payload)))
}
