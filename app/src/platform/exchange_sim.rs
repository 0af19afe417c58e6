//! A simulated external system behind the exchange (dev mode and tests): a
//! `Transport` that answers each request with the system's own rule
//! (`Answer`: fixtures of the registries, ГИС ГМП) after a configurable
//! delay, with injected faults (`PORTAL_REGISTRY_*`):
//!
//! - timeout: a send gets no acceptance; half the time the request reached
//!   the system anyway (the retry then carries the same message id and
//!   the system takes it as the same request, never a second one);
//! - error: a send fails with a transport error (nothing arrives);
//! - duplicate: an answer is delivered twice (the same answer id).
//!
//! Like СМЭВ, an answer stays in the mailbox until acknowledged, and one
//! read but not acknowledged comes again after a while. The state lives in
//! this process: a restarted server has forgotten what it was sent, and
//! the exchange's wait for an answer sends it again.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};

use super::exchange::{Incoming, Outgoing, Reply, SendError, Transport};
use super::exchange_settings::RegistrySimulation;

/// An answer read but not acknowledged is delivered again after this.
const REDELIVER_AFTER: TimeDelta = TimeDelta::seconds(10);

/// What one request became at the registry.
struct Received {
    ready_at: DateTime<Utc>,
    reply: Reply,
    /// Put into the mailbox (once, whatever the repeats of the request).
    posted: bool,
}

struct Letter {
    incoming: Incoming,
    visible_at: DateTime<Utc>,
}

#[derive(Default)]
struct State {
    /// By request message id.
    received: HashMap<String, Received>,
    mailbox: Vec<Letter>,
    /// Every send tried, in order (message ids; tests read it).
    log: Vec<String>,
}

/// How a simulated system answers a request: (system, payload, now) → reply.
pub type Answer = Box<dyn Fn(&str, &str, DateTime<Utc>) -> Reply + Send + Sync>;

pub struct SimulatedSystem {
    answer: Answer,
    settings: Mutex<RegistrySimulation>,
    state: Mutex<State>,
    rng: Mutex<rand::rngs::StdRng>,
}

impl SimulatedSystem {
    pub fn new(settings: RegistrySimulation, answer: Answer) -> SimulatedSystem {
        SimulatedSystem {
            answer,
            settings: Mutex::new(settings),
            state: Mutex::new(State::default()),
            rng: Mutex::new(rand::rngs::StdRng::from_os_rng()),
        }
    }

    /// Changes the delay and faults (tests).
    pub fn set(&self, settings: RegistrySimulation) {
        if let Ok(mut s) = self.settings.lock() {
            *s = settings;
        }
    }

    /// The message ids of every send tried, in order (faults included).
    pub fn seen(&self) -> Vec<String> {
        self.state.lock().map(|s| s.log.clone()).unwrap_or_default()
    }

    fn settings(&self) -> RegistrySimulation {
        self.settings.lock().map(|s| *s).unwrap_or_default()
    }

    /// True with probability `rate`.
    fn roll(&self, rate: f64) -> bool {
        rate > 0.0 && self.rng.lock().map(|mut r| r.random::<f64>() < rate).unwrap_or(false)
    }
}

impl Transport for SimulatedSystem {
    async fn send(&self, request: Outgoing<'_>, now: DateTime<Utc>) -> Result<(), SendError> {
        let s = self.settings();
        if let Ok(mut state) = self.state.lock() {
            state.log.push(request.message_id.to_string());
        }
        if self.roll(s.error_rate) {
            return Err(SendError::Unavailable("СМЭВ: 503 Service Unavailable (имитация)".into()));
        }
        let timed_out = self.roll(s.timeout_rate);
        if timed_out && self.roll(0.5) {
            return Err(SendError::Timeout);
        }
        let reply = (self.answer)(request.system, request.payload, now);
        let mut state = self.state.lock().map_err(|_| SendError::Unavailable("simulation poisoned".into()))?;
        // A repeat of a request the registry has is the same request.
        state.received.entry(request.message_id.to_string()).or_insert(Received {
            ready_at: now + s.delay,
            reply,
            posted: false,
        });
        if timed_out { Err(SendError::Timeout) } else { Ok(()) }
    }

    async fn receive(&self, now: DateTime<Utc>) -> Result<Vec<Incoming>, String> {
        let duplicate_rate = self.settings().duplicate_rate;
        let mut ready = Vec::new();
        {
            let mut state = self.state.lock().map_err(|_| "simulation poisoned".to_string())?;
            for (message_id, r) in state.received.iter_mut() {
                if !r.posted && r.ready_at <= now {
                    r.posted = true;
                    ready.push(Incoming {
                        id: super::exchange::new_message_id(),
                        reply_to: message_id.clone(),
                        reply: r.reply.clone(),
                    });
                }
            }
        }
        let doubled: Vec<bool> = ready.iter().map(|_| self.roll(duplicate_rate)).collect();
        let mut state = self.state.lock().map_err(|_| "simulation poisoned".to_string())?;
        for (incoming, twice) in ready.into_iter().zip(doubled) {
            if twice {
                state.mailbox.push(Letter { incoming: incoming.clone(), visible_at: now });
            }
            state.mailbox.push(Letter { incoming, visible_at: now });
        }
        let mut out = Vec::new();
        for letter in state.mailbox.iter_mut().filter(|l| l.visible_at <= now) {
            letter.visible_at = now + REDELIVER_AFTER;
            out.push(letter.incoming.clone());
        }
        Ok(out)
    }

    async fn acknowledge(&self, id: &str, _now: DateTime<Utc>) -> Result<(), String> {
        let mut state = self.state.lock().map_err(|_| "simulation poisoned".to_string())?;
        // One delivery is acknowledged: a second copy still in the mailbox
        // comes again, as a duplicate would.
        if let Some(i) = state.mailbox.iter().position(|l| l.incoming.id == id) {
            state.mailbox.remove(i);
        }
        Ok(())
    }
}
