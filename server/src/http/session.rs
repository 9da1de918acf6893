//! The facilitator's session cookie, the extractors that turn it into an identity, and the
//! cross-site request guard on the API.
//!
//! # The cookie
//!
//! `hearth_session=<token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800` over plain http.
//! When `--public-url` starts with `https://` the cookie is `__Host-hearth_session` and carries
//! `Secure`: the `__Host-` prefix makes browsers refuse it unless it is Secure, has `Path=/` and
//! no `Domain`, so no other site or subdomain can set or shadow it. (Over plain http a Secure
//! cookie would never be sent back, so local and test servers use the plain name.)
//!
//! # Cross-site requests
//!
//! `SameSite=Strict` keeps browsers from sending the cookie on requests started by other sites.
//! As a second lock, every state-changing API request (POST, PUT, PATCH, DELETE) must carry
//! `Content-Type: application/json` (a type an HTML form cannot send, and that needs a CORS
//! preflight this server never grants) and, when the browser sends `Origin`, an origin this server
//! accepts for its WebSocket too.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::app::AppState;
use crate::auth::{FacilitatorIdentity, SESSION_ABSOLUTE_MS};

/// The cookie's name over plain http.
pub const SESSION_COOKIE: &str = "hearth_session";
/// The cookie's name over https.
pub const SECURE_SESSION_COOKIE: &str = "__Host-hearth_session";

/// The name of the session cookie this server sets and reads.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.serves_https() {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The `Set-Cookie` value that stores `token` in the browser.
pub fn set_cookie(state: &AppState, token: &str) -> HeaderValue {
    let max_age = SESSION_ABSOLUTE_MS / 1000;
    let cookie = format!(
        "{}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        cookie_name(state),
        if state.serves_https() { "; Secure" } else { "" }
    );
    // Tokens are URL-safe base64, so the header is always valid.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let cookie = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}",
        cookie_name(state),
        if state.serves_https() { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session token in the request's cookies, if any.
pub fn token_from_headers<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The facilitator whose live session cookie came with `headers`, if any. A database failure is
/// logged and treated as "not signed in".
pub async fn facilitator_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<FacilitatorIdentity> {
    let token = token_from_headers(headers, cookie_name(state))?;
    match state.auth().identify(token, state.clock().now()).await {
        Ok(identity) => identity,
        Err(err) => {
            tracing::error!(kind = err.kind(), "could not check a session cookie");
            None
        }
    }
}

/// A signed-in facilitator (or operator). Answers 401 when the cookie is missing, expired,
/// revoked, or its account disabled.
#[derive(Debug, Clone)]
pub struct Facilitator(pub FacilitatorIdentity);

impl FromRequestParts<AppState> for Facilitator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token =
            token_from_headers(&parts.headers, cookie_name(state)).ok_or_else(unauthenticated)?;
        match state.auth().identify(token, state.clock().now()).await? {
            Some(identity) => Ok(Facilitator(identity)),
            None => Err(unauthenticated()),
        }
    }
}

/// A signed-in operator. Answers 401 when not signed in and 403 for a facilitator.
#[derive(Debug, Clone)]
pub struct Admin(pub FacilitatorIdentity);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Facilitator(identity) = Facilitator::from_request_parts(parts, state).await?;
        if identity.is_admin {
            Ok(Admin(identity))
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Only an operator may do that.",
            ))
        }
    }
}

/// The client's address, for counting failed attempts (memory only; never logged or stored).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(ApiError::internal)?;
        Ok(ClientAddr(client_ip(
            peer,
            &parts.headers,
            &state.config().trusted_proxies,
        )))
    }
}

/// The address a request comes from: the peer, unless the peer is a trusted proxy, in which case
/// the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A client can
/// prepend anything to that header, so it is read from the right and only past trusted hops.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => break,
        }
    }
    peer
}

/// 401: the request needs a signed-in facilitator.
pub fn unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "Please sign in.",
    )
}

/// Middleware on `/api/`: state-changing requests must be JSON and, when the browser says where
/// they come from, come from here (see the module docs).
pub async fn cross_site_guard(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method();
    let changes_state = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state {
        let headers = request.headers();
        if headers.contains_key(header::ORIGIN)
            && !super::ws::origin_allowed(headers, &state.config().allowed_origins)
        {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "origin_forbidden",
                "Requests from another site are not accepted.",
            )
            .into_response();
        }
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json_required",
                "Send the request as JSON (Content-Type: application/json).",
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.1, 203.0.113.9"),
        );
        assert_eq!(client_ip(proxy, &headers, &[proxy]), client);
        assert_eq!(
            client_ip(client, &headers, &[proxy]),
            client,
            "a direct client cannot claim another address"
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(proxy, &headers, &[proxy]), proxy);
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("garbage, 203.0.113.9"),
        );
        assert_eq!(
            client_ip(proxy, &headers, &[proxy]),
            client,
            "what a client prepends is never reached"
        );
    }

    #[test]
    fn the_session_token_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("hearth_device=abc; hearth_session=tok_en-1; x=y"),
        );
        assert_eq!(
            token_from_headers(&headers, SESSION_COOKIE),
            Some("tok_en-1")
        );
        assert_eq!(token_from_headers(&headers, SECURE_SESSION_COOKIE), None);
        assert_eq!(token_from_headers(&HeaderMap::new(), SESSION_COOKIE), None);
    }
}
