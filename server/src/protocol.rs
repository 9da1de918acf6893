//! Wire protocol v1: the JSON messages exchanged over the WebSocket.
//!
//! Every frame is a JSON object tagged by `"type"`. Client messages are decoded strictly (unknown
//! fields are an error) into [`ClientMsg`]; server messages are [`ServerMsg`] values encoded once
//! per broadcast. `docs/protocol.md` is the reference for clients; keep it in step with this file.
//!
//! Pure: depends on `domain`, serde and serde_json. Must not depend on axum, tokio or the room.

use serde::{Deserialize, Serialize};

use crate::domain::{GroupId, MessageId, Millis, ParticipantId, Role};

/// The protocol version this server speaks. Carried in `join`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Longest client-chosen id echoed back in `ack`/`rejected`, in bytes.
pub const CLIENT_ID_MAX_BYTES: usize = 64;

/// A message from a client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Take a seat in a group's room. Exactly one of `invite` (members) or `group` (facilitators,
    /// identified by their session cookie) names the room; `resume` reclaims a seat after a drop.
    Join {
        /// Protocol version the client speaks; must be [`PROTOCOL_VERSION`].
        v: u32,
        /// Invite code from the join link's fragment.
        #[serde(default)]
        invite: Option<String>,
        /// Group id, for facilitators.
        #[serde(default)]
        group: Option<GroupId>,
        /// The name to be shown; members must give one, facilitators use their account's.
        #[serde(default)]
        pseudonym: Option<String>,
        /// The member has read and accepted the group's ground rules.
        #[serde(default)]
        accept_rules: bool,
        /// Resume token from an earlier `welcome` in this session.
        #[serde(default)]
        resume: Option<String>,
    },
    /// Post a chat message to the room.
    Say {
        /// The text, at most 2,000 characters.
        text: String,
        /// Opaque id chosen by the client, echoed in `ack` or `rejected` (never shown to others).
        #[serde(default)]
        client_id: Option<String>,
    },
    /// Leave the room now.
    Leave {},
}

impl ClientMsg {
    /// The `type` tags the server understands, for telling "unknown type" from "wrong shape".
    pub const TYPES: &'static [&'static str] = &["join", "say", "leave"];
}

/// Why a client frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON at all, or not an object.
    BadJson,
    /// A JSON object whose `type` is missing or unknown.
    UnknownType,
    /// A known `type` with missing, extra or mistyped fields.
    InvalidMessage(String),
}

impl DecodeError {
    /// The error frame for this decode failure.
    pub fn to_server_msg(&self) -> ServerMsg {
        match self {
            DecodeError::BadJson => ServerMsg::error(
                ErrorCode::BadJson,
                "That frame was not a JSON object. Nothing was done.",
            ),
            DecodeError::UnknownType => ServerMsg::error(
                ErrorCode::UnknownType,
                "The message type is missing or unknown. Nothing was done.",
            ),
            DecodeError::InvalidMessage(detail) => ServerMsg::Error {
                code: ErrorCode::InvalidMessage,
                message: format!("The message has the wrong shape ({detail}). Nothing was done."),
            },
        }
    }
}

/// Decodes one text frame. The common case costs one parse; the error path parses a second time
/// to say precisely what was wrong.
///
/// # Errors
/// [`DecodeError`] describing whether the frame was not JSON, had an unknown type, or the wrong
/// fields.
pub fn decode(frame: &str) -> Result<ClientMsg, DecodeError> {
    match serde_json::from_str::<ClientMsg>(frame) {
        Ok(msg) => Ok(msg),
        Err(err) if err.is_syntax() || err.is_eof() => Err(DecodeError::BadJson),
        Err(err) => {
            #[derive(Deserialize)]
            struct Tag {
                #[serde(rename = "type")]
                kind: Option<String>,
            }
            match serde_json::from_str::<Tag>(frame) {
                Err(_) => Err(DecodeError::BadJson),
                Ok(Tag { kind: None }) => Err(DecodeError::UnknownType),
                Ok(Tag { kind: Some(kind) }) if !ClientMsg::TYPES.contains(&kind.as_str()) => {
                    Err(DecodeError::UnknownType)
                }
                Ok(_) => Err(DecodeError::InvalidMessage(describe_shape_error(
                    &err.to_string(),
                ))),
            }
        }
    }
}

/// serde's description of a shape error, made safe to send back: the position is dropped, and
/// quoted values (serde echoes strings: `invalid type: string "…"`) and long field names are cut,
/// so the detail never carries message text.
fn describe_shape_error(message: &str) -> String {
    const MAX_DETAIL_CHARS: usize = 120;
    let message = message.split(" at line ").next().unwrap_or(message);
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find('"') {
            Some(len) => {
                out.push('…');
                rest = &rest[start + 1 + len + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.chars().take(MAX_DETAIL_CHARS).collect()
}

/// A participant as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    /// Session-scoped id.
    pub id: ParticipantId,
    /// Pseudonym (members) or account display name (facilitators).
    pub name: String,
    /// Member or facilitator.
    pub role: Role,
}

/// One chat message as delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Assigned by the room, increasing.
    pub id: MessageId,
    /// Who wrote it.
    pub from: ParticipantView,
    /// The text.
    pub text: String,
    /// Server time, unix milliseconds.
    pub ts: Millis,
}

/// The group as shown to someone in its room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    /// Group id.
    pub id: GroupId,
    /// Group name.
    pub name: String,
    /// Ground rules, shown before joining and kept visible in the room.
    pub rules: String,
}

/// Whether someone arrived or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceEvent {
    /// Took a seat.
    Joined,
    /// Left, was removed, or lost the connection.
    Left,
}

/// Error codes carried in `error` and `rejected`. Each has a documented meaning in
/// `docs/protocol.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not a JSON object.
    BadJson,
    /// The `type` is missing or unknown.
    UnknownType,
    /// Known type, wrong fields.
    InvalidMessage,
    /// The `v` in `join` is not a version this server speaks.
    UnsupportedVersion,
    /// The message needs a seat: send `join` first.
    NotJoined,
    /// This connection already has a seat.
    AlreadyJoined,
    /// The invite code is unknown, expired, used up or revoked.
    InviteInvalid,
    /// The group's ground rules were not accepted.
    RulesNotAccepted,
    /// The pseudonym was refused; the message says why.
    PseudonymInvalid,
    /// Another participant already uses that name or one that looks like it.
    PseudonymTaken,
    /// The room is at capacity.
    RoomFull,
    /// The message text was refused (empty, too long, control characters).
    TextInvalid,
    /// Too many messages too fast.
    RateLimited,
    /// The message contained contact details.
    ContactInfo,
    /// The resume token is unknown or expired.
    ResumeInvalid,
    /// Too many failed attempts; wait and try again.
    TooManyAttempts,
    /// Something went wrong on the server; nothing was done.
    Internal,
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// You have a seat. Sent once, first, after a successful `join`; `history` frames with the
    /// session so far follow it.
    Welcome {
        /// Protocol version.
        v: u32,
        /// Your own seat.
        you: ParticipantView,
        /// The group.
        group: GroupView,
        /// Everyone present, you included.
        roster: Vec<ParticipantView>,
        /// Limits the client should apply before sending.
        limits: Limits,
    },
    /// Earlier messages of this session, oldest first, in one or more frames after `welcome`.
    History {
        /// A batch of messages.
        messages: Vec<ChatMessage>,
    },
    /// A new chat message.
    Message(ChatMessage),
    /// Your `say` was accepted and delivered as message `id`.
    Ack {
        /// The id you sent.
        client_id: Option<String>,
        /// The message id it got.
        id: MessageId,
        /// Server time.
        ts: Millis,
    },
    /// Your `say` was not delivered.
    Rejected {
        /// The id you sent.
        client_id: Option<String>,
        /// Why, as a code.
        code: ErrorCode,
        /// Why, in words for the sender.
        reason: String,
    },
    /// Someone arrived or left.
    Presence {
        /// Which.
        event: PresenceEvent,
        /// Who.
        participant: ParticipantView,
    },
    /// A request failed; the connection stays open.
    Error {
        /// What went wrong, as a code.
        code: ErrorCode,
        /// What went wrong, in words.
        message: String,
    },
}

impl ServerMsg {
    /// An `error` frame.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> ServerMsg {
        ServerMsg::Error {
            code,
            message: message.into(),
        }
    }

    /// Encodes the message as one JSON text frame.
    pub fn encode(&self) -> String {
        // Serializing these plain data types cannot fail: no maps with non-string keys, no
        // custom Serialize impls that return errors.
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"Encoding failed."}"#.to_owned()
        })
    }
}

/// Limits told to the client in `welcome`, so it can check before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Longest message, in characters.
    pub max_text_chars: usize,
    /// Messages allowed in a burst.
    pub burst: u32,
    /// Sustained messages per minute.
    pub per_minute: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_decodes_with_defaults() {
        let msg = decode(
            r#"{"type":"join","v":1,"invite":"abc","pseudonym":"River","accept_rules":true}"#,
        )
        .unwrap();
        assert_eq!(
            msg,
            ClientMsg::Join {
                v: 1,
                invite: Some("abc".into()),
                group: None,
                pseudonym: Some("River".into()),
                accept_rules: true,
                resume: None,
            }
        );
    }

    #[test]
    fn say_and_leave_decode() {
        assert_eq!(
            decode(r#"{"type":"say","text":"hi","client_id":"c1"}"#).unwrap(),
            ClientMsg::Say {
                text: "hi".into(),
                client_id: Some("c1".into())
            }
        );
        assert_eq!(decode(r#"{"type":"leave"}"#).unwrap(), ClientMsg::Leave {});
    }

    #[test]
    fn bad_frames_are_classified() {
        assert_eq!(decode("not json"), Err(DecodeError::BadJson));
        assert_eq!(decode("{\"type\":"), Err(DecodeError::BadJson));
        assert_eq!(decode("[1,2]"), Err(DecodeError::BadJson));
        assert_eq!(decode(r#"{"text":"hi"}"#), Err(DecodeError::UnknownType));
        assert_eq!(decode(r#"{"type":"dance"}"#), Err(DecodeError::UnknownType));
        assert!(matches!(
            decode(r#"{"type":"say"}"#),
            Err(DecodeError::InvalidMessage(_))
        ));
        assert!(matches!(
            decode(r#"{"type":"say","text":5}"#),
            Err(DecodeError::InvalidMessage(_))
        ));
    }

    #[test]
    fn unknown_fields_are_rejected_including_claimed_roles() {
        for frame in [
            r#"{"type":"say","text":"hi","role":"facilitator"}"#,
            r#"{"type":"say","text":"hi","from":3}"#,
            r#"{"type":"leave","x":1}"#,
        ] {
            assert!(
                matches!(decode(frame), Err(DecodeError::InvalidMessage(_))),
                "{frame}"
            );
        }
    }

    #[test]
    fn invalid_message_detail_never_echoes_values() {
        for frame in [
            r#"{"type":"say","text":["secret-canary"]}"#,
            r#"{"type":"join","v":"secret-canary"}"#,
            r#"{"type":"join","v":1,"accept_rules":"secret-canary"}"#,
        ] {
            let Err(DecodeError::InvalidMessage(detail)) = decode(frame) else {
                panic!("expected invalid message for {frame}");
            };
            assert!(!detail.contains("secret-canary"), "{detail}");
        }
    }

    #[test]
    fn server_messages_encode_as_tagged_json() {
        let msg = ServerMsg::Ack {
            client_id: Some("c1".into()),
            id: MessageId(7),
            ts: Millis(1_000),
        };
        assert_eq!(
            msg.encode(),
            r#"{"type":"ack","client_id":"c1","id":7,"ts":1000}"#
        );
        let err = ServerMsg::error(ErrorCode::RateLimited, "slow down");
        assert_eq!(
            err.encode(),
            r#"{"type":"error","code":"rate_limited","message":"slow down"}"#
        );
    }
}
