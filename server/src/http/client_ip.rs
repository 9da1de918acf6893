//! The client's IP address, for in-memory rate limits only: never logged, never stored.
//!
//! Behind a reverse proxy every connection comes from the proxy, which names the real client in
//! `X-Forwarded-For`. Anyone can send that header, so it is believed only from configured proxies
//! (`--trusted-proxy`), and only as far as the chain of trusted hops goes: read from the right,
//! the first address that is not itself a trusted proxy is the client (the address the outermost
//! trusted proxy saw). Whatever a client put further left is ignored.
//!
//! Pure: depends on std, axum's `HeaderMap` and ipnet.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The header a proxy appends the address it was connected from to.
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The address to rate-limit: `peer` itself unless it is a trusted proxy, else the first
/// untrusted address in `X-Forwarded-For`, read from the right. A malformed entry stops the walk:
/// the trusted hop before it is the best answer left.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.ip().to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    // Several header lines form one list, in order.
    let hops: Vec<&str> = headers
        .get_all(FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, maybe bracketed or with a port (some proxies add
/// them).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<SocketAddr>()
        .ok()
        .map(|addr| addr.ip().to_canonical())
        .or_else(|| {
            hop.strip_prefix('[')?
                .strip_suffix(']')?
                .parse::<IpAddr>()
                .ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn peer(ip: &str) -> SocketAddr {
        SocketAddr::new(ip.parse().unwrap(), 40000)
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(FORWARDED_FOR, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|n| crate::config::parse_ip_range(n).unwrap())
            .collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            client_ip(peer("198.51.100.1"), &headers, &[]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_claim_another_address() {
        let headers = forwarded(&["203.0.113.7"]);
        let trusted = nets(&["172.31.253.2"]);
        assert_eq!(
            client_ip(peer("198.51.100.1"), &headers, &trusted),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let headers = forwarded(&["203.0.113.7"]);
        let trusted = nets(&["172.31.253.2"]);
        assert_eq!(
            client_ip(peer("172.31.253.2"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn addresses_a_client_forged_to_the_left_are_ignored() {
        // The client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended what it saw.
        let headers = forwarded(&["10.9.9.9, 203.0.113.7"]);
        let trusted = nets(&["172.31.253.0/24"]);
        assert_eq!(
            client_ip(peer("172.31.253.2"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_from_the_right() {
        let headers = forwarded(&["203.0.113.7", "10.0.0.5"]);
        let trusted = nets(&["10.0.0.0/8", "172.31.253.2"]);
        assert_eq!(
            client_ip(peer("172.31.253.2"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_the_client() {
        let trusted = nets(&["127.0.0.1"]);
        assert_eq!(
            client_ip(peer("127.0.0.1"), &HeaderMap::new(), &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn what_a_client_prepends_is_never_reached() {
        let headers = forwarded(&["garbage, 203.0.113.9"]);
        let trusted = nets(&["10.0.0.2"]);
        assert_eq!(
            client_ip(peer("10.0.0.2"), &headers, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn garbage_stops_at_the_last_trusted_hop() {
        let headers = forwarded(&["203.0.113.7, not-an-address"]);
        let trusted = nets(&["172.31.253.2"]);
        assert_eq!(
            client_ip(peer("172.31.253.2"), &headers, &trusted),
            ip("172.31.253.2")
        );
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_understood() {
        let trusted = nets(&["172.31.253.2"]);
        let mapped = SocketAddr::new(ip("::ffff:172.31.253.2"), 1);
        assert_eq!(
            client_ip(mapped, &forwarded(&["203.0.113.7:5555"]), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_ip(mapped, &forwarded(&["[2001:db8::1]"]), &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_ip(mapped, &forwarded(&["[2001:db8::1]:443"]), &trusted),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn when_every_hop_is_trusted_the_leftmost_is_the_client() {
        let headers = forwarded(&["10.0.0.9, 10.0.0.5"]);
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(peer("10.0.0.1"), &headers, &trusted),
            ip("10.0.0.9")
        );
    }
}
