//! Flow completions: the `nfm_reply` a customer's finished flow sends back, and the typed
//! structs (`#[derive(FlowResponse)]`) its `response_json` is read into.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::de::{Text, opt_text, own, own_opt};
use super::error::CallbackError;
use crate::error::Error;

/// A completed flow (or an address message): `interactive.nfm_reply` (facts §3.4; Meta's flow
/// response webhook).
///
/// `response_json` is a JSON *string* inside the JSON: the flow's answers and, for a flow, the
/// `flow_token` the flow was sent with (Meta: it may be missing). Read it into the struct that
/// declares the answers with [`FlowReply::parse`], or into the response type paired with the
/// flow that was sent with [`FlowReply::parse_for`].
///
/// ```
/// use kaleyra::callback::{Callback, Content};
/// # use kaleyra::callback::FlowResponse;
/// # struct Booked { token: String, date: String }
/// # impl FlowResponse for Booked {
/// #     fn from_response_json(json: &str) -> Result<Self, kaleyra::Error> {
/// #         let v: serde_json::Value = serde_json::from_str(json).unwrap();
/// #         Ok(Booked { token: v["flow_token"].as_str().unwrap().into(), date: v["date"].as_str().unwrap().into() })
/// #     }
/// #     fn to_response_json(&self) -> Result<String, kaleyra::Error> {
/// #         Ok(serde_json::json!({"flow_token": self.token, "date": self.date}).to_string())
/// #     }
/// #     fn flow_token(&self) -> Option<&str> { Some(&self.token) }
/// # }
/// let body = br#"{"meta_object": {"value": {"messages": [{"from": "919876543210", "id": "wamid.1",
///     "timestamp": "1722834665", "type": "interactive", "interactive": {"type": "nfm_reply",
///     "nfm_reply": {"name": "flow", "body": "Sent",
///     "response_json": "{\"flow_token\": \"booking-42\", \"date\": \"2026-12-01\"}"}}}]},
///     "field": "messages"}, "extra_info": {}}"#;
/// let callback = Callback::from_slice(body)?;
/// let Content::FlowReply(reply) = &callback.messages()[0].content else { unreachable!() };
/// assert_eq!(reply.flow_token().as_deref(), Some("booking-42"));
/// let booked: Booked = reply.parse()?;
/// assert_eq!(booked.date, "2026-12-01");
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct FlowReply<'a> {
    /// `"flow"` for a flow, `"address_message"` for an address message.
    pub name: Option<Cow<'a, str>>,
    /// The text shown in the chat, e.g. `"Sent"`.
    pub body: Option<Cow<'a, str>>,
    /// `response_json` as it is in the body: a JSON string literal, quotes and escapes included
    /// (or, should it arrive as an object, the object's text). Unescaped when read, so that a
    /// callback nobody reads the answers of costs no copy.
    raw: Cow<'a, str>,
}

/// How `nfm_reply` arrives.
#[derive(Deserialize)]
pub(super) struct RawFlowReply<'a> {
    #[serde(borrow, deserialize_with = "opt_text", default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    body: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    response_json: Option<&'a RawValue>,
}

impl<'a> RawFlowReply<'a> {
    pub(super) fn into_reply(self) -> FlowReply<'a> {
        FlowReply {
            name: self.name,
            body: self.body,
            raw: Cow::Borrowed(self.response_json.map_or("\"\"", RawValue::get)),
        }
    }
}

impl PartialEq for FlowReply<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.body == other.body
            && self.response_json() == other.response_json()
    }
}

impl fmt::Debug for FlowReply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowReply")
            .field("name", &self.name)
            .field("body", &self.body)
            .field("response_json", &self.response_json())
            .finish()
    }
}

impl FlowReply<'_> {
    /// Reads `response_json` into `T` (a `#[derive(FlowResponse)]` struct).
    ///
    /// # Errors
    ///
    /// [`Error::Callback`] when `response_json` is not a JSON object, lacks a member that `T`
    /// requires, or has one of another type.
    pub fn parse<T: FlowResponse>(&self) -> Result<T, Error> {
        T::from_response_json(&self.response_json())
    }

    /// `response_json`: the answers, a JSON object as text (unescaped from the JSON string it
    /// arrives as; borrowed from the body when it holds no escapes). Empty if absent or `null`.
    pub fn response_json(&self) -> Cow<'_, str> {
        let raw = self.raw.as_ref();
        if !raw.starts_with('"') {
            // An object (or another value) instead of a string: its text is the JSON.
            return Cow::Borrowed(if raw == "null" { "" } else { raw });
        }
        match raw.get(1..raw.len() - 1) {
            Some(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
            // A JSON string token read by serde_json: decoding it cannot fail.
            _ => Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default()),
        }
    }

    /// Reads `response_json` into the response type declared by the flow that was sent
    /// (`#[flow(..., response = T)]` on a `#[derive(Flow)]` struct).
    ///
    /// # Errors
    ///
    /// As [`FlowReply::parse`].
    pub fn parse_for<F: FlowWithResponse + ?Sized>(&self) -> Result<F::Response, Error> {
        self.parse::<F::Response>()
    }

    /// The `flow_token` in `response_json`, without reading the rest: tells which flow (and
    /// which conversation) a completion belongs to before choosing the type to read it into.
    /// `None` if there is none or `response_json` is not a JSON object.
    pub fn flow_token(&self) -> Option<Cow<'_, str>> {
        #[derive(Deserialize)]
        struct Token<'a> {
            #[serde(borrow, deserialize_with = "opt_text", default)]
            flow_token: Option<Cow<'a, str>>,
        }
        let json = self.response_json();
        let token = serde_json::from_str::<Token<'_>>(&json).ok()?.flow_token?;
        Some(Cow::Owned(token.into_owned()))
    }

    /// `response_json` as an untyped JSON value.
    ///
    /// # Errors
    ///
    /// [`Error::Callback`] when it is not JSON.
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        serde_json::from_str(&self.response_json()).map_err(|e| {
            Error::Callback(CallbackError::flow_response("response_json", e.to_string()))
        })
    }

    /// Whether this is a completed flow (`name` is `"flow"`).
    pub fn is_flow(&self) -> bool {
        self.name.as_deref() == Some("flow")
    }

    /// Whether this is an address message (`name` is `"address_message"`).
    pub fn is_address(&self) -> bool {
        self.name.as_deref() == Some("address_message")
    }

    /// The reply with every borrowed string copied.
    pub fn into_owned(self) -> FlowReply<'static> {
        FlowReply {
            name: own_opt(self.name),
            body: own_opt(self.body),
            raw: own(self.raw),
        }
    }
}

/// A struct read from a flow reply's `response_json`: derive it with
/// `#[derive(kaleyra::FlowResponse)]` (see the `kaleyra` crate), which reads each field from the
/// member of its name (`#[flow_response(rename = "…")]` to change it), the flow token into the
/// field marked `#[flow_response(token)]`, and treats `Option` fields as optional.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a flow response",
    label = "not a `FlowResponse`",
    note = "declare the flow's answers as a struct with `#[derive(kaleyra::FlowResponse)]`"
)]
pub trait FlowResponse: Sized {
    /// Reads the value from `response_json` (a JSON object).
    ///
    /// # Errors
    ///
    /// [`Error::Callback`] when the JSON does not hold what the struct declares.
    fn from_response_json(json: &str) -> Result<Self, Error>;

    /// The `response_json` this value arrives as (the simulator posts it; tests build replies
    /// with it). Fields that are `None` are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Callback`] if a field's `Serialize` fails.
    fn to_response_json(&self) -> Result<String, Error>;

    /// The flow token, if the struct has a `#[flow_response(token)]` field holding one.
    fn flow_token(&self) -> Option<&str>;
}

/// A flow message paired with the struct its completion is read into:
/// `#[flow(..., response = T)]` on a `#[derive(Flow)]` struct implements it, so that what goes
/// out and what comes back are declared in one place. Read a completion with
/// [`FlowReply::parse_for`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares no flow response",
    label = "no `response = …` on its `#[flow(...)]`",
    note = "add `response = YourResponse` to the `#[flow(...)]` of `{Self}`, or read the reply with `reply.parse::<YourResponse>()`"
)]
pub trait FlowWithResponse {
    /// The struct the flow's completion is read into.
    type Response: FlowResponse;
}

/// What `#[derive(FlowResponse)]` generates code against. Not public API.
#[doc(hidden)]
pub mod __derive {
    use std::borrow::Cow;

    use serde_json::value::RawValue;

    use super::{CallbackError, Error, Members};
    use crate::roles::{FlowResponseRead, FlowResponseWrite};

    /// The members of a `response_json` object, each kept as raw JSON until its field reads it.
    pub struct Fields<'j> {
        members: Members<'j>,
        ty: &'static str,
    }

    fn error(ty: &'static str, reason: String) -> Error {
        Error::Callback(CallbackError::flow_response(format!("`{ty}`"), reason))
    }

    impl<'j> Fields<'j> {
        /// Splits `json` (a JSON object) into its members.
        ///
        /// # Errors
        ///
        /// When `json` is not a JSON object.
        pub fn read(json: &'j str, ty: &'static str) -> Result<Self, Error> {
            serde_json::from_str::<Members<'j>>(json)
                .map(|members| Fields { members, ty })
                .map_err(|e| error(ty, format!("response_json is not a JSON object ({e})")))
        }

        /// The member `key` as a `T`. A missing member is an error if `required`, otherwise
        /// read as `null` (an `Option` field becomes `None`). With a key given twice, the last
        /// one counts, as in `serde_json::Value`.
        ///
        /// # Errors
        ///
        /// When the member is missing and required, or is not a `T`.
        pub fn get<T: FlowResponseRead>(
            &self,
            key: &'static str,
            required: bool,
        ) -> Result<T, Error> {
            let raw = self
                .members
                .0
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, raw)| raw.get());
            match raw {
                Some(raw) => serde_json::from_str(raw)
                    .map_err(|e| error(self.ty, format!("member `{key}`: {e}"))),
                None if required => Err(error(self.ty, format!("missing member `{key}`"))),
                None => serde_json::from_str("null")
                    .map_err(|e| error(self.ty, format!("member `{key}`: {e}"))),
            }
        }
    }

    /// Writes a `response_json` object member by member.
    pub struct Writer {
        out: Vec<u8>,
        ty: &'static str,
    }

    impl Writer {
        /// An empty object for the struct `ty`.
        pub fn new(ty: &'static str) -> Self {
            Writer {
                out: b"{".to_vec(),
                ty,
            }
        }

        /// Writes the member `key`; with `skip_null`, a value that serializes to `null` (an
        /// `Option` field that is `None`) is left out.
        ///
        /// # Errors
        ///
        /// When the value's `Serialize` fails.
        pub fn member<T: FlowResponseWrite + ?Sized>(
            &mut self,
            key: &str,
            value: &T,
            skip_null: bool,
        ) -> Result<(), Error> {
            let start = self.out.len();
            if start > 1 {
                self.out.push(b',');
            }
            crate::json::write_str(&mut self.out, key);
            self.out.push(b':');
            let value_at = self.out.len();
            serde_json::to_writer(&mut self.out, value)
                .map_err(|e| error(self.ty, format!("member `{key}` does not serialize: {e}")))?;
            if skip_null && &self.out[value_at..] == b"null" {
                self.out.truncate(start);
            }
            Ok(())
        }

        /// The object's text.
        pub fn finish(mut self) -> String {
            self.out.push(b'}');
            // Keys are escaped strings and values serde_json's output: UTF-8 throughout.
            String::from_utf8(self.out).unwrap_or_default()
        }
    }

    /// Raw members, for `Fields`.
    pub(super) type Raw<'j> = (Cow<'j, str>, &'j RawValue);
}

/// The members of a JSON object, values unparsed.
struct Members<'j>(Vec<__derive::Raw<'j>>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(8);
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    let value = map.next_value::<&'de RawValue>()?;
                    members.push((key.unwrap_or_default(), value));
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

impl fmt::Display for FlowReply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} reply: {}",
            self.name.as_deref().unwrap_or("nfm"),
            self.response_json()
        )
    }
}
