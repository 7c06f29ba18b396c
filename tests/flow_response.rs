//! `#[derive(FlowResponse)]`: reading `response_json` into a struct, writing it back, the flow
//! token, optional and skipped fields, renames, generics, `#[flow(response = T)]` pairing, and
//! hygiene (the generated code survives a hostile scope and is clean under `clippy::pedantic`).

#![deny(clippy::pedantic)]
#![allow(dead_code, non_upper_case_globals)]

use std::borrow::Cow;
use std::marker::PhantomData;

use kaleyra::callback::{CallbackErrorKind, FlowReply, FlowWithResponse};
use kaleyra::{Error, Flow, FlowResponse};

// A hostile scope: names the generated code must not pick up.
type Result<T> = std::result::Result<T, ()>;
struct Ok;
struct Some;
struct None;
struct Option;
struct String;
struct Self_;
const json: u8 = 0;
const fields: u8 = 0;
const writer: u8 = 0;
mod core {}

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

#[derive(Debug, PartialEq, FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: std::string::String,
    date: std::string::String,
    #[flow_response(rename = "guest_count")]
    guests: u8,
    note: std::option::Option<std::string::String>,
    tags: Vec<std::string::String>,
    #[flow_response(skip)]
    seen: bool,
    out: u32,
}

fn booked() -> Booked {
    Booked {
        token: "booking-42".into(),
        date: "2026-12-01".into(),
        guests: 2,
        note: std::option::Option::None,
        tags: vec!["window".into()],
        seen: false,
        out: 7,
    }
}

#[test]
fn reads_every_field_from_its_member() -> TestResult {
    let read = Booked::from_response_json(
        r#"{"flow_token":"booking-42","date":"2026-12-01","guest_count":2,"tags":["window"],"out":7,"extra":{"ignored":true}}"#,
    )?;
    assert_eq!(read, booked());
    assert_eq!(read.flow_token(), std::option::Option::Some("booking-42"));
    std::result::Result::Ok(())
}

#[test]
fn writes_what_it_reads() -> TestResult {
    let value = Booked {
        note: std::option::Option::Some("allergic to \"nuts\"".into()),
        ..booked()
    };
    let written = value.to_response_json()?;
    assert_eq!(
        written,
        r#"{"flow_token":"booking-42","date":"2026-12-01","guest_count":2,"note":"allergic to \"nuts\"","tags":["window"],"out":7}"#
    );
    assert_eq!(Booked::from_response_json(&written)?, value);
    // `None` fields are left out.
    assert!(!booked().to_response_json()?.contains("note"));
    std::result::Result::Ok(())
}

#[test]
fn optional_fields_may_be_missing_or_null() -> TestResult {
    let read = Booked::from_response_json(
        r#"{"flow_token":"t","date":"d","guest_count":1,"note":null,"tags":[],"out":0}"#,
    )?;
    assert_eq!(read.note, std::option::Option::None);
    std::result::Result::Ok(())
}

fn flow_response_error(result: std::result::Result<Booked, Error>) -> std::string::String {
    match result {
        Err(Error::Callback(e)) => {
            assert_eq!(e.kind(), CallbackErrorKind::FlowResponse);
            e.to_string()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn mistakes_are_typed_errors_that_name_the_member() {
    let missing = flow_response_error(Booked::from_response_json(
        r#"{"flow_token":"t","guest_count":1,"tags":[],"out":0}"#,
    ));
    assert_eq!(missing, "flow response `Booked`: missing member `date`");
    let wrong = flow_response_error(Booked::from_response_json(
        r#"{"flow_token":"t","date":"d","guest_count":"two","tags":[],"out":0}"#,
    ));
    assert!(
        wrong.starts_with(
            "flow response `Booked`: member `guest_count`: invalid type: string \"two\""
        ),
        "{wrong}"
    );
    let not_object = flow_response_error(Booked::from_response_json("[1,2]"));
    assert!(
        not_object.contains("response_json is not a JSON object"),
        "{not_object}"
    );
    let not_json = flow_response_error(Booked::from_response_json("{"));
    assert!(not_json.contains("not a JSON object"), "{not_json}");
}

#[test]
fn duplicate_members_the_last_counts() -> TestResult {
    let read = Booked::from_response_json(
        r#"{"flow_token":"a","date":"x","date":"y","guest_count":1,"tags":[],"out":0}"#,
    )?;
    assert_eq!(read.date, "y");
    std::result::Result::Ok(())
}

/// A token that may be missing, of another text type.
#[derive(Debug, FlowResponse)]
struct MaybeToken {
    #[flow_response(token)]
    token: std::option::Option<Box<str>>,
}

#[derive(Debug, FlowResponse)]
struct CowToken {
    #[flow_response(token)]
    token: Cow<'static, str>,
}

#[derive(Debug, FlowResponse)]
struct NoToken {
    answer: bool,
}

#[derive(Debug, FlowResponse)]
struct Empty;

#[test]
fn token_types() -> TestResult {
    assert_eq!(
        MaybeToken::from_response_json("{}")?.flow_token(),
        std::option::Option::None
    );
    assert_eq!(
        MaybeToken::from_response_json(r#"{"flow_token":"x"}"#)?.flow_token(),
        std::option::Option::Some("x")
    );
    assert_eq!(
        CowToken::from_response_json(r#"{"flow_token":"x"}"#)?.flow_token(),
        std::option::Option::Some("x")
    );
    let no = NoToken::from_response_json(r#"{"flow_token":"x","answer":true}"#)?;
    assert!(no.answer);
    assert_eq!(no.flow_token(), std::option::Option::None);
    let _ = Empty::from_response_json(r#"{"anything":1}"#)?;
    assert_eq!(Empty.to_response_json()?, "{}");
    std::result::Result::Ok(())
}

/// Generic fields are bounded where they are used.
#[derive(Debug, FlowResponse)]
struct Generic<T, M = u8> {
    #[flow_response(token)]
    token: std::string::String,
    value: T,
    #[flow_response(skip)]
    marker: PhantomData<M>,
}

#[test]
fn generics() -> TestResult {
    let read = Generic::<Vec<u32>>::from_response_json(r#"{"flow_token":"t","value":[1,2]}"#)?;
    assert_eq!(read.value, [1, 2]);
    assert_eq!(
        read.to_response_json()?,
        r#"{"flow_token":"t","value":[1,2]}"#
    );
    std::result::Result::Ok(())
}

/// What goes out and what comes back, declared together.
#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    body = "Book a table",
    response = Booked
)]
struct Booking {
    #[flow(token)]
    token: std::string::String,
    date: std::string::String,
}

#[test]
fn a_flow_names_its_response() -> TestResult {
    fn response_of<F: FlowWithResponse>(text: &str) -> std::result::Result<F::Response, Error> {
        F::Response::from_response_json(text)
    }
    let read = response_of::<Booking>(
        r#"{"flow_token":"booking-42","date":"2026-12-01","guest_count":2,"tags":["window"],"out":7}"#,
    )?;
    assert_eq!(read, booked());
    // The flow itself still encodes as before.
    let message = Booking {
        token: "booking-42".into(),
        date: "2026-12-01".into(),
    }
    .to("+919876543210")?;
    assert_eq!(
        message.to_json()["messaging_object"]["interactive"]["action"]["parameters"]["flow_token"],
        "booking-42"
    );
    std::result::Result::Ok(())
}

#[test]
fn parse_for_reads_a_reply_into_the_declared_type() -> TestResult {
    let body = br#"{"meta_object":{"value":{"messages":[{"from":"919876543210","id":"wamid.1","timestamp":"1","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{\"flow_token\":\"booking-42\",\"date\":\"2026-12-01\",\"guest_count\":2,\"tags\":[\"window\"],\"out\":7}"}}}]},"field":"messages"}}"#;
    let callback = kaleyra::callback::Callback::from_slice(body)?;
    let kaleyra::callback::Content::FlowReply(reply) = &callback.messages()[0].content else {
        return Err("a flow reply".into());
    };
    let reply: &FlowReply<'_> = reply;
    assert_eq!(reply.parse_for::<Booking>()?, booked());
    assert_eq!(reply.parse::<Booked>()?, booked());
    std::result::Result::Ok(())
}

mod custom_crate_path {
    pub mod renamed {
        pub use kaleyra::*;
    }

    #[derive(renamed::FlowResponse)]
    #[flow_response(crate = crate::custom_crate_path::renamed)]
    pub struct Answer {
        pub yes: bool,
    }
}

#[test]
fn crate_path_override() -> TestResult {
    use custom_crate_path::Answer;
    assert!(Answer::from_response_json(r#"{"yes":true}"#)?.yes);
    std::result::Result::Ok(())
}
