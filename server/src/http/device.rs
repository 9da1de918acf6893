//! The device key: a random value the server gives each browser in an HttpOnly cookie, so a
//! facilitator's "remove" or "ban" can refuse that browser again without anyone learning who it
//! belongs to. Only its keyed hash ever reaches the room or the database.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::secret::random_token;

/// The cookie's name.
pub const DEVICE_COOKIE: &str = "hearth_device";

/// A year: long enough that a ban outlasts browser restarts; a member can always clear it, which
/// is the nature of an anonymous service.
const DEVICE_COOKIE_MAX_AGE_SECS: u64 = 365 * 24 * 60 * 60;

/// The device key in the request's cookies, if it looks like one of ours.
pub fn from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DEVICE_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| {
            (16..=64).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Gives the browser a device key if it has none.
pub fn ensure_cookie(request_headers: &HeaderMap, response: &mut Response, secure: bool) {
    if from_headers(request_headers).is_some() {
        return;
    }
    let cookie = format!(
        "{DEVICE_COOKIE}={}; Path=/; Max-Age={DEVICE_COOKIE_MAX_AGE_SECS}; HttpOnly; SameSite=Strict{}",
        random_token(),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_key_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hearth_device=abcdefghijklmnopqrstuv; b=2"),
        );
        assert_eq!(
            from_headers(&headers).as_deref(),
            Some("abcdefghijklmnopqrstuv")
        );
    }

    #[test]
    fn malformed_device_keys_are_ignored() {
        for value in [
            "hearth_device=short",
            "hearth_device=has spaces in it!!!!",
            "other=x",
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
            assert_eq!(from_headers(&headers), None, "{value}");
        }
    }

    #[test]
    fn a_new_browser_gets_an_http_only_strict_cookie() {
        let mut response = Response::new(axum::body::Body::empty());
        ensure_cookie(&HeaderMap::new(), &mut response, true);
        let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(set.starts_with("hearth_device="));
        assert!(set.contains("HttpOnly"));
        assert!(set.contains("SameSite=Strict"));
        assert!(set.contains("Secure"));
    }
}
