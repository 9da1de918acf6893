//! An HTTP client for the JSON API (real requests over real sockets), holding one principal's
//! session cookie, and helpers to make accounts and sign in.

use std::net::IpAddr;

use hearth::auth::AccountInput;
use hearth::store::AccountRecord;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Client, TestServer, WAIT};

/// The password every test account gets.
pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// One API caller: an HTTP client bound to a local address, with or without a session cookie.
#[derive(Clone)]
pub(crate) struct Api {
    http: reqwest::Client,
    base: String,
    pub(crate) cookie: Option<String>,
}

/// An answer: status, headers, body as text and as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) text: String,
    pub(crate) body: Value,
}

impl Reply {
    /// The `error.code` of an error answer.
    pub(crate) fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The session cookie (`name=value`) set by this answer.
    pub(crate) fn session_cookie(&self) -> String {
        let set = self
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("hearth_session="))
            .unwrap_or_else(|| panic!("no session cookie in {:?}", self.headers));
        set.split(';').next().unwrap().to_owned()
    }
}

impl Api {
    /// A caller from 127.0.0.1 without a cookie.
    pub(crate) fn new(server: &TestServer) -> Api {
        Api::from_address(server, "127.0.0.1".parse().unwrap())
    }

    /// A caller from another loopback address (another "client" for per-client limits).
    pub(crate) fn from_address(server: &TestServer, local: IpAddr) -> Api {
        Api {
            http: reqwest::Client::builder()
                .local_address(local)
                .timeout(WAIT)
                .build()
                .unwrap(),
            base: server.url(),
            cookie: None,
        }
    }

    /// The same caller presenting `cookie`.
    pub(crate) fn with_cookie(&self, cookie: impl Into<String>) -> Api {
        Api {
            cookie: Some(cookie.into()),
            ..self.clone()
        }
    }

    /// Sends a request; a JSON body (with its Content-Type) when `body` is given.
    pub(crate) async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            body,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(&body)).await
    }

    pub(crate) async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(&body)).await
    }

    pub(crate) async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(&body)).await
    }

    pub(crate) async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, Some(&Value::Null)).await
    }

    /// Signs in and returns this caller with the session cookie.
    pub(crate) async fn login(&self, username: &str, password: &str) -> Api {
        let reply = self
            .post(
                "/api/login",
                serde_json::json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(reply.status, 200, "login of {username}: {}", reply.text);
        self.with_cookie(reply.session_cookie())
    }
}

/// Creates an account directly (as the CLI would), with [`PASSWORD`].
pub(crate) async fn account(server: &TestServer, username: &str, admin: bool) -> AccountRecord {
    server
        .state
        .auth()
        .create_account(
            &AccountInput {
                username: username.into(),
                display_name: format!("{username} (facilitator)"),
                password: PASSWORD.into(),
                is_admin: admin,
            },
            server.state.clock().now(),
        )
        .await
        .expect("account created")
}

/// Creates an account and signs it in over HTTP.
pub(crate) async fn signed_in(server: &TestServer, username: &str, admin: bool) -> Api {
    account(server, username, admin).await;
    Api::new(server).login(username, PASSWORD).await
}

/// A WebSocket client presenting `cookie` on the upgrade, as a browser would.
pub(crate) async fn connect_with_cookie(server: &TestServer, cookie: &str) -> Client {
    let mut request = server.ws_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Cookie", HeaderValue::from_str(cookie).unwrap());
    let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request))
        .await
        .expect("connect in time")
        .expect("connect");
    Client { ws }
}
