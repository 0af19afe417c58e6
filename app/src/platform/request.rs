//! The request id: made (or taken from `x-request-id`) by the outermost
//! layer, kept in a task-local for the life of the request so log lines,
//! error pages and the panic page can all show it.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::header::USER_AGENT;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::error::AppError;

tokio::task_local! {
    pub static REQUEST_ID: String;
}

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of the request being served: from the task-local, or, inside a
/// Leptos render or server function that runs on another task, from the
/// request headers Leptos keeps in context.
pub fn current_request_id() -> String {
    if let Ok(id) = REQUEST_ID.try_with(|id| id.clone()) {
        return id;
    }
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default()
}

/// Logs a failure with the request id and turns it into the message a
/// person sees (which carries only that id).
pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    let request_id = current_request_id();
    tracing::error!(%request_id, "{context}: {err}");
    AppError::Internal { request_id }
}

/// Who is asking, as the journal and «Активные сеансы» show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

/// The client of this request.
pub fn client() -> Client {
    Client { ip: client_ip(), user_agent: user_agent() }
}

/// The client's address: the TCP peer, or, when the peer is one of the
/// trusted proxies (`PORTAL_TRUSTED_PROXIES`), the last address in
/// `X-Forwarded-For` that is not one of them. A client cannot spoof it: an
/// `X-Forwarded-For` from anyone else is ignored, and what a client put at
/// the front of the header is never read past the proxies' own entries.
pub fn client_ip() -> String {
    let Some(parts) = use_context::<Parts>() else { return "unknown".to_string() };
    let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
        return "unknown".to_string();
    };
    let trusted = use_context::<super::AppState>().map(|s| s.config.trusted_proxies.clone()).unwrap_or_default();
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    real_client(peer, &forwarded, &trusted).to_string()
}

/// The TCP peer of this request (a proxy's address behind one).
pub fn peer_ip() -> Option<std::net::IpAddr> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
}

/// The rule of `client_ip`, pure: walk `X-Forwarded-For` from the right
/// while the hop is a trusted proxy.
pub fn real_client(peer: std::net::IpAddr, forwarded: &[&str], trusted: &[std::net::IpAddr]) -> std::net::IpAddr {
    // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
    let trusted: Vec<std::net::IpAddr> = trusted.iter().map(|ip| ip.to_canonical()).collect();
    let mut ip = peer.to_canonical();
    for hop in forwarded.iter().rev() {
        if !trusted.contains(&ip) {
            break;
        }
        match parse_hop(hop.trim()) {
            Some(next) => ip = next.to_canonical(),
            None => break,
        }
    }
    ip
}

/// An `X-Forwarded-For` entry: an address, or one with a port
/// (`1.2.3.4:5678`, `[2001:db8::1]:5678`).
fn parse_hop(hop: &str) -> Option<std::net::IpAddr> {
    hop.parse()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.trim_start_matches('[').trim_end_matches(']').parse().ok())
}

/// The key per-address limits count under: an IPv4 address itself, an
/// IPv6 address by its /64 (one subscriber usually holds a whole /64, so
/// counting single IPv6 addresses would let one person rotate past every
/// limit).
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        _ => ip.to_string(),
    }
}

/// The browser's self-description, cut to a sane length, for the session list.
pub fn user_agent() -> String {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect()))
        .unwrap_or_default()
}

/// Runs `f` as a server function would run: with the request's parts,
/// the app state and a fresh `ResponseOptions` as context, so the kernel's
/// `caller::*` work in a plain axum handler (a file download). Headers `f`
/// sets through `ResponseOptions` are dropped: the handler builds its own
/// response.
pub async fn in_request_context<T, Fut>(state: super::AppState, parts: Parts, f: impl FnOnce() -> Fut) -> T
where
    Fut: Future<Output = T>,
{
    use leptos::prelude::provide_context;
    use leptos::reactive::computed::ScopedFuture;
    use leptos::reactive::owner::Owner;
    let owner = Owner::new();
    owner
        .with(|| {
            provide_context(parts);
            provide_context(state);
            provide_context(leptos_axum::ResponseOptions::default());
            ScopedFuture::new(f())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.1");
        // No trusted proxy: the header is whatever the client wrote.
        assert_eq!(real_client(ip("203.0.113.9"), &["1.2.3.4"], &[]), ip("203.0.113.9"));
        // Through the proxy: the address the proxy saw.
        assert_eq!(real_client(proxy, &["198.51.100.7"], &[proxy]), ip("198.51.100.7"));
        // A client that forges an entry in front gets its real address counted.
        assert_eq!(real_client(proxy, &["1.2.3.4", "198.51.100.7"], &[proxy]), ip("198.51.100.7"));
        // Someone else sending the header directly is not a proxy.
        assert_eq!(real_client(ip("198.51.100.7"), &["1.2.3.4"], &[proxy]), ip("198.51.100.7"));
        // Garbage stops the walk at the proxy.
        assert_eq!(real_client(proxy, &["nonsense"], &[proxy]), proxy);
        // A dual-stack peer, and hops with ports.
        assert_eq!(real_client(ip("::ffff:10.0.0.1"), &["198.51.100.7:4431"], &[proxy]), ip("198.51.100.7"));
        assert_eq!(real_client(proxy, &["[2001:db8::7]:4431"], &[proxy]), ip("2001:db8::7"));
    }

    #[test]
    fn ipv6_addresses_are_counted_per_64() {
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), address_key("2001:db8:1:2:bbbb::9"));
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(address_key("::ffff:203.0.113.9"), "203.0.113.9");
    }
}
