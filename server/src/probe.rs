//! `hearth healthcheck`: asks a running server's `/healthz` whether it is up, so the container
//! image needs no curl or wget. A plain HTTP/1.1 GET over a blocking socket with a deadline.
//!
//! Depends on std only.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// Largest response read; `/healthz` answers a few hundred bytes.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024;

/// The address to probe for a server bound to `bind`: a wildcard bind (`0.0.0.0`, `::`) is
/// reached on loopback.
pub fn probe_addr(bind: SocketAddr) -> SocketAddr {
    let ip = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, bind.port())
}

/// GETs `path` from `addr` and succeeds on a 200 answer, within `timeout` for each step.
///
/// # Errors
/// A sentence saying what failed: no connection, no answer in time, or another status.
pub fn get_ok(addr: SocketAddr, path: &str, timeout: Duration) -> Result<(), String> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|err| format!("cannot connect to {addr}: {err}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|err| format!("cannot set a deadline: {err}"))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nUser-Agent: hearth-healthcheck\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|err| format!("cannot send the request: {err}"))?;
    let mut response = Vec::new();
    stream
        .take(MAX_RESPONSE_BYTES)
        .read_to_end(&mut response)
        .map_err(|err| format!("no answer from {addr}: {err}"))?;
    let status_line = response
        .split(|b| *b == b'\n')
        .next()
        .map(|line| String::from_utf8_lossy(line).trim().to_owned())
        .unwrap_or_default();
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status == "200" {
        Ok(())
    } else {
        Err(format!("{path} answered `{status_line}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_probed_on_loopback() {
        assert_eq!(
            probe_addr("0.0.0.0:8080".parse().unwrap()).to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(
            probe_addr("[::]:8080".parse().unwrap()).to_string(),
            "[::1]:8080"
        );
        assert_eq!(
            probe_addr("10.1.2.3:80".parse().unwrap()).to_string(),
            "10.1.2.3:80"
        );
    }

    #[test]
    fn a_closed_port_is_unhealthy() {
        // Bind then drop to find a port nobody listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        assert!(get_ok(addr, "/healthz", Duration::from_secs(1)).is_err());
    }
}
