//! Charges: what the state payments system (ГИС ГМП) says a person owes —
//! traffic fines (by the vehicle certificate and driver's licence the
//! person added), taxes (by ИНН), state duties of applications sent on the
//! portal — kept as the portal's copy keyed by the УИН. A layer below the
//! areas: `services` makes a duty when a priced application is sent and
//! marks a charge «обжалуется» while an appeal runs; `payments` pays them.
//!
//! It must never: make a second charge for one УИН or one application;
//! mark a charge paid twice or paid when it was not payable; give a person
//! a charge found only by its УИН as their own.
//!
//! Files: `model.rs` (УИН and its control digit, kinds, states, kopecks,
//! the fine's discount; pure, shared with the browser), `store.rs` (the
//! `charge` table), `gisgmp.rs` (requests to ГИС ГМП through the exchange,
//! the simulated system and its fixture rules).

#[cfg(feature = "ssr")]
pub mod gisgmp;
pub mod model;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{ChargeKind, ChargeState, Kopecks, rubles};
