//! Kaleyra's error responses, and the HTTP client end to end.
//!
//! Part 1 parses every failure response printed in the five Kaleyra documents, copied verbatim
//! (indentation and all), with `ApiError::from_body`, plus the codes that other Kaleyra pages add
//! (RULES.md: WA429, WAV2101) and the lenient shapes (`data` `[]` or `{}`, `error` an object or a
//! string).
//!
//! Part 2 runs the real `kaleyra::Client` against a tiny raw HTTP/1.1 server on 127.0.0.1 (written
//! here with tokio's `TcpListener`, independent of `kaleyra::mock`), which answers canned
//! responses and records every request it receives, and checks both what the client sends
//! (path, headers, body bytes) and how it types each answer.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use kaleyra::model::{AuthenticationTemplate, FlowMessage, FlowTemplate, ProductTemplate};
use kaleyra::{
    ApiError, ApiErrorKind, Client, Error, ExtraInfo, Flow, Message, Otp, Route, Template, WaSource,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// =============================================================================================
// Part 1: the documented failure responses
// =============================================================================================

/// One failure response as a document prints it, and what it must parse into.
struct Documented {
    /// The heading the document prints above the body.
    heading: &'static str,
    /// The HTTP status in that heading.
    status: u16,
    /// The body, verbatim.
    body: &'static str,
    kind: ApiErrorKind,
    code: &'static str,
    message: &'static str,
    /// The members of `error`, in order; a string `error` is one pair with an empty field.
    details: &'static [(&'static str, &'static str)],
    /// The document's `data`, as printed (`[]` or `{}`).
    data: &'static str,
}

/// The failure responses of `send-authentication-template-message.txt`, verbatim.
const AUTHENTICATION: &[Documented] = &[
    Documented {
        heading: "401 Unauthorized",
        status: 401,
        body: r#"{
"code": "RBC001",
"message": "Incorrect SID or API key.",
"data": [],
"error": {
"error": "Incorrect SID or API key."
}
}"#,
        kind: ApiErrorKind::Unauthorized,
        code: "RBC001",
        message: "Incorrect SID or API key.",
        details: &[("error", "Incorrect SID or API key.")],
        data: "[]",
    },
    Documented {
        heading: "401 Unauthorized phone number",
        status: 401,
        body: r#"{
"code": "WA401",
"message": "Phone number is not present or does not belong to the account.",
"data": {},
"error": {
"phone_number": "Phone number is not present or does not belong to the account."
}
}"#,
        kind: ApiErrorKind::SenderNotOnAccount,
        code: "WA401",
        message: "Phone number is not present or does not belong to the account.",
        details: &[(
            "phone_number",
            "Phone number is not present or does not belong to the account.",
        )],
        data: "{}",
    },
    Documented {
        heading: "400 Incorrect payload",
        status: 400,
        body: r#"{
"code": "WA400",
"message": "Refer to correct payload format",
"data": {},
"error": {
"payload": "Incorrect payload format"
}
}"#,
        kind: ApiErrorKind::BadPayload,
        code: "WA400",
        message: "Refer to correct payload format",
        details: &[("payload", "Incorrect payload format")],
        data: "{}",
    },
    Documented {
        heading: "500 Internal Server Error",
        status: 500,
        body: r#"{
"code": "WA500",
"message": "Please try again later",
"data": {},
"error": {
"error": "Internal server error"
}
}"#,
        kind: ApiErrorKind::ServerError,
        code: "WA500",
        message: "Please try again later",
        details: &[("error", "Internal server error")],
        data: "{}",
    },
    Documented {
        heading: "400 Low balance",
        status: 400,
        body: r#"{
"code": "E110",
"message": "Please check your balance, You have a low balance!",
"data": {},
"error": {
"balance": "Please check your balance, You have a low balance!"
}
}"#,
        kind: ApiErrorKind::LowBalance,
        code: "E110",
        message: "Please check your balance, You have a low balance!",
        details: &[(
            "balance",
            "Please check your balance, You have a low balance!",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorised Account type",
        status: 401,
        body: r#"{
"code": "WA-401",
"message": "API is not available for given customer.Please contact support for more info",
"data": {},
"error": {
"account": "API is not available for given customer.Please contact support for more info"
}
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "API is not available for given customer.Please contact support for more info",
        details: &[(
            "account",
            "API is not available for given customer.Please contact support for more info",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorized phone number version",
        status: 401,
        body: r#"{
"code": "WA-401",
"message": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
"data": {},
"error": {
"phone_number": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."
}
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        details: &[(
            "phone_number",
            "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        )],
        data: "{}",
    },
];

/// The failure responses of `send-flow-template-message.txt`, verbatim.
const FLOW_TEMPLATE: &[Documented] = &[
    Documented {
        heading: "401 Unauthorized",
        status: 401,
        body: r#"{
    "code": "RBC001",
    "message": "Incorrect SID or API key.",
    "data": [],
    "error": {
        "error": "Incorrect SID or API key."
    }
}"#,
        kind: ApiErrorKind::Unauthorized,
        code: "RBC001",
        message: "Incorrect SID or API key.",
        details: &[("error", "Incorrect SID or API key.")],
        data: "[]",
    },
    Documented {
        heading: "401 Unauthorized phone number",
        status: 401,
        body: r#"{
    "code": "WA401",
    "message": "Phone number is not present or does not belong to the account.",
    "data": {},
    "error": {
        "phone_number": "Phone number is not present or does not belong to the account."
    }
}"#,
        kind: ApiErrorKind::SenderNotOnAccount,
        code: "WA401",
        message: "Phone number is not present or does not belong to the account.",
        details: &[(
            "phone_number",
            "Phone number is not present or does not belong to the account.",
        )],
        data: "{}",
    },
    Documented {
        heading: "400 Incorrect payload",
        status: 400,
        body: r#"{
    "code": "WA400",
    "message": "Refer to correct payload format",
    "data": {},
    "error": {
        "payload": "Incorrect payload format"
    }
}"#,
        kind: ApiErrorKind::BadPayload,
        code: "WA400",
        message: "Refer to correct payload format",
        details: &[("payload", "Incorrect payload format")],
        data: "{}",
    },
    Documented {
        heading: "500 Internal Server Error",
        status: 500,
        body: r#"{
    "code": "WA500",
    "message": "Please try again later",
    "data": {},
    "error": {
        "error": "Internal server error"
    }
}"#,
        kind: ApiErrorKind::ServerError,
        code: "WA500",
        message: "Please try again later",
        details: &[("error", "Internal server error")],
        data: "{}",
    },
    Documented {
        heading: "400 Low balance",
        status: 400,
        body: r#"{
    "code": "E110",
    "message": "Please check your balance, You have a low balance!",
    "data": {},
    "error": {
        "balance": "Please check your balance, You have a low balance!"
    }
}"#,
        kind: ApiErrorKind::LowBalance,
        code: "E110",
        message: "Please check your balance, You have a low balance!",
        details: &[(
            "balance",
            "Please check your balance, You have a low balance!",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorised Account type",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "API is not available for given customer.Please contact support for more info",
    "data": {},
    "error": {
        "account": "API is not available for given customer.Please contact support for more info"
    }
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "API is not available for given customer.Please contact support for more info",
        details: &[(
            "account",
            "API is not available for given customer.Please contact support for more info",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorized phone number version",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
    "data": {},
    "error": {
        "phone_number": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."
    }
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        details: &[(
            "phone_number",
            "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        )],
        data: "{}",
    },
];

/// The failure responses of `send-single-product-template-message.txt`, verbatim.
const PRODUCT_TEMPLATE: &[Documented] = &[
    Documented {
        heading: "401 Unauthorized",
        status: 401,
        body: r#"{
"code": "RBC001",
"message": "Incorrect SID or API key.",
"data": [],
"error": {
"error": "Incorrect SID or API key."
}
}"#,
        kind: ApiErrorKind::Unauthorized,
        code: "RBC001",
        message: "Incorrect SID or API key.",
        details: &[("error", "Incorrect SID or API key.")],
        data: "[]",
    },
    Documented {
        heading: "401 Unauthorized phone number",
        status: 401,
        body: r#"{
"code": "WA401",
"message": "Phone number is not present or does not belong to the account.",
"data": {},
"error": {
"phone_number": "Phone number is not present or does not belong to the account."
}
}"#,
        kind: ApiErrorKind::SenderNotOnAccount,
        code: "WA401",
        message: "Phone number is not present or does not belong to the account.",
        details: &[(
            "phone_number",
            "Phone number is not present or does not belong to the account.",
        )],
        data: "{}",
    },
    Documented {
        heading: "400 Incorrect payload",
        status: 400,
        body: r#"{
"code": "WA400",
"message": "Refer to correct payload format",
"data": {},
"error": {
"payload": "Incorrect payload format"
}
}"#,
        kind: ApiErrorKind::BadPayload,
        code: "WA400",
        message: "Refer to correct payload format",
        details: &[("payload", "Incorrect payload format")],
        data: "{}",
    },
    Documented {
        heading: "500 Internal Server Error",
        status: 500,
        body: r#"{
"code": "WA500",
"message": "Please try again later",
"data": {},
"error": {
"error": "Internal server error"
}
}"#,
        kind: ApiErrorKind::ServerError,
        code: "WA500",
        message: "Please try again later",
        details: &[("error", "Internal server error")],
        data: "{}",
    },
    Documented {
        heading: "400 Low balance",
        status: 400,
        body: r#"{
"code": "E110",
"message": "Please check your balance, You have a low balance!",
"data": {},
"error": {
"balance": "Please check your balance, You have a low balance!"
}
}"#,
        kind: ApiErrorKind::LowBalance,
        code: "E110",
        message: "Please check your balance, You have a low balance!",
        details: &[(
            "balance",
            "Please check your balance, You have a low balance!",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorised Account type",
        status: 401,
        body: r#"{
"code": "WA-401",
"message": "API is not available for given customer.Please contact support for more info",
"data": {},
"error": {
"account": "API is not available for given customer.Please contact support for more info"
}
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "API is not available for given customer.Please contact support for more info",
        details: &[(
            "account",
            "API is not available for given customer.Please contact support for more info",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorized phone number version",
        status: 401,
        body: r#"{
"code": "WA-401",
"message": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
"data": {},
"error": {
"phone_number": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."
}
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        details: &[(
            "phone_number",
            "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        )],
        data: "{}",
    },
];

/// The failure responses of `send-flow-message.txt`, verbatim.
const FLOW_MESSAGE: &[Documented] = &[
    Documented {
        heading: "401 Unauthorized",
        status: 401,
        body: r#"{
    "code": "RBC001",
    "message": "Incorrect SID or API key.",
    "data": [],
    "error": {
        "error": "Incorrect SID or API key."
    }
}"#,
        kind: ApiErrorKind::Unauthorized,
        code: "RBC001",
        message: "Incorrect SID or API key.",
        details: &[("error", "Incorrect SID or API key.")],
        data: "[]",
    },
    Documented {
        heading: "401 Unauthorized phone number",
        status: 401,
        body: r#"{
    "code": "WA401",
    "message": "Phone number is not present or does not belong to the account.",
    "data": {},
    "error": {
        "phone_number": "Phone number is not present or does not belong to the account."
    }
}"#,
        kind: ApiErrorKind::SenderNotOnAccount,
        code: "WA401",
        message: "Phone number is not present or does not belong to the account.",
        details: &[(
            "phone_number",
            "Phone number is not present or does not belong to the account.",
        )],
        data: "{}",
    },
    Documented {
        heading: "400 Incorrect payload",
        status: 400,
        body: r#"{
    "code": "WA400",
    "message": "Refer to correct payload format",
    "data": {},
    "error": {
        "payload": "Incorrect payload format"
    }
}"#,
        kind: ApiErrorKind::BadPayload,
        code: "WA400",
        message: "Refer to correct payload format",
        details: &[("payload", "Incorrect payload format")],
        data: "{}",
    },
    Documented {
        heading: "500 Internal Server Error",
        status: 500,
        body: r#"{
    "code": "WA500",
    "message": "Please try again later",
    "data": {},
    "error": {
        "error": "Internal server error"
    }
}"#,
        kind: ApiErrorKind::ServerError,
        code: "WA500",
        message: "Please try again later",
        details: &[("error", "Internal server error")],
        data: "{}",
    },
    Documented {
        heading: "400 Low balance",
        status: 400,
        body: r#"{
    "code": "E110",
    "message": "Please check your balance, You have a low balance!",
    "data": {},
    "error": {
        "balance": "Please check your balance, You have a low balance!"
    }
}"#,
        kind: ApiErrorKind::LowBalance,
        code: "E110",
        message: "Please check your balance, You have a low balance!",
        details: &[(
            "balance",
            "Please check your balance, You have a low balance!",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorised Account type",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "API is not available for given customer.Please contact support for more info",
    "data": {},
    "error": {
        "account": "API is not available for given customer.Please contact support for more info"
    }
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "API is not available for given customer.Please contact support for more info",
        details: &[(
            "account",
            "API is not available for given customer.Please contact support for more info",
        )],
        data: "{}",
    },
    Documented {
        heading: "401 Unauthorized phone number version",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
    "data": {},
    "error": {
        "phone_number": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."
    }
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        details: &[(
            "phone_number",
            "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
        )],
        data: "{}",
    },
];

/// The failure responses of `publish-flow.txt`, verbatim.
const PUBLISH_FLOW: &[Documented] = &[
    Documented {
        heading: "401 Unauthorized",
        status: 401,
        body: r#"{
    "code": "RBC001",
    "message": "Incorrect SID or API key.",
    "data": [],
    "error": {
        "error": "Incorrect SID or API key."
    }
}"#,
        kind: ApiErrorKind::Unauthorized,
        code: "RBC001",
        message: "Incorrect SID or API key.",
        details: &[("error", "Incorrect SID or API key.")],
        data: "[]",
    },
    Documented {
        heading: "401 Wrong account",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "API is not available for given customer.Please contact support for more info",
    "data": {},
    "error": "API is not available for given customer.Please contact support for more info"
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "API is not available for given customer.Please contact support for more info",
        details: &[(
            "",
            "API is not available for given customer.Please contact support for more info",
        )],
        data: "{}",
    },
    Documented {
        heading: "400 Incorrect payload",
        status: 400,
        body: r#"{
    "code": "WA-400",
    "message": "Refer to correct payload format",
    "data": {},
    "error": {
        "payload": "Incorrect payload format"
    }
}"#,
        kind: ApiErrorKind::BadPayload,
        code: "WA-400",
        message: "Refer to correct payload format",
        details: &[("payload", "Incorrect payload format")],
        data: "{}",
    },
    Documented {
        heading: "500 Internal Server Error",
        status: 500,
        body: r#"{
    "code": "WA-500",
    "message": "Please try again later",
    "data": {},
    "error": {
        "error": "Internal server error"
    }
}"#,
        kind: ApiErrorKind::ServerError,
        code: "WA-500",
        message: "Please try again later",
        details: &[("error", "Internal server error")],
        data: "{}",
    },
    Documented {
        // No heading of its own in the document (it follows the 500 sample); a WA-401 is a 401.
        heading: "(none)",
        status: 401,
        body: r#"{
    "code": "WA-401",
    "message": "The flow_id either does not exist or does not belong to the account.",
    "data": {},
    "error": {
        "flow_id": "The flow_id either does not exist or does not belong to the account."
    }
}"#,
        kind: ApiErrorKind::NotAvailable,
        code: "WA-401",
        message: "The flow_id either does not exist or does not belong to the account.",
        details: &[(
            "flow_id",
            "The flow_id either does not exist or does not belong to the account.",
        )],
        data: "{}",
    },
];

/// The four send documents, with the failures each prints.
const SEND_DOCUMENTS: [(&str, &[Documented]); 4] = [
    ("send-authentication-template-message.txt", AUTHENTICATION),
    ("send-flow-template-message.txt", FLOW_TEMPLATE),
    ("send-single-product-template-message.txt", PRODUCT_TEMPLATE),
    ("send-flow-message.txt", FLOW_MESSAGE),
];

fn all_documented() -> impl Iterator<Item = (&'static str, &'static Documented)> {
    SEND_DOCUMENTS
        .into_iter()
        .chain([("publish-flow.txt", PUBLISH_FLOW)])
        .flat_map(|(doc, list)| list.iter().map(move |d| (doc, d)))
}

fn details(e: &ApiError) -> Vec<(&str, &str)> {
    e.details()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Checks one parsed error against what the document says.
fn assert_documented(e: &ApiError, doc: &str, d: &Documented) {
    let at = format!("{doc}, \"{}\" ({})", d.heading, d.code);
    assert_eq!(e.status(), d.status, "{at}");
    assert_eq!(e.code(), d.code, "{at}");
    assert_eq!(e.kind(), d.kind, "{at}");
    assert_eq!(e.message(), d.message, "{at}");
    assert_eq!(details(e), d.details, "{at}");
    assert_eq!(e.body(), d.body, "{at}");
}

#[test]
fn every_documented_failure_parses_into_its_kind() {
    let mut count = 0;
    for (doc, d) in all_documented() {
        let e = ApiError::from_body(d.status, d.body)
            .unwrap_or_else(|| panic!("{doc}, \"{}\": not parsed", d.heading));
        assert_documented(&e, doc, d);
        count += 1;
    }
    // 7 failures in each send document, 5 in publish-flow.txt.
    assert_eq!(count, 4 * 7 + 5);
}

#[test]
fn the_documents_cover_both_shapes_of_data_and_of_error() {
    // `data` is `[]` in every RBC001 sample and `{}` in every other one; `error` is a string in
    // publish-flow.txt's WA-401 and an object everywhere else. Both shapes parse (above); this
    // checks that the samples really have both, so the test above exercises them.
    let mut shapes = std::collections::BTreeSet::new();
    for (_, d) in all_documented() {
        let body: serde_json::Value = serde_json::from_str(d.body).unwrap();
        assert_eq!(
            body["data"],
            serde_json::from_str::<serde_json::Value>(d.data).unwrap()
        );
        let data = if body["data"].is_array() {
            "data []"
        } else {
            "data {}"
        };
        let error = if body["error"].is_string() {
            "error string"
        } else {
            "error object"
        };
        shapes.insert(data);
        shapes.insert(error);
    }
    assert_eq!(
        shapes.into_iter().collect::<Vec<_>>(),
        ["data []", "data {}", "error object", "error string"]
    );
}

#[test]
fn publish_flows_wa_401_with_a_string_error_and_the_flow_id_wa_401() {
    let wrong_account = &PUBLISH_FLOW[1];
    assert_eq!(wrong_account.heading, "401 Wrong account");
    let e = ApiError::from_body(401, wrong_account.body).unwrap();
    assert_eq!(e.kind(), ApiErrorKind::NotAvailable);
    assert_eq!(
        details(&e),
        [(
            "",
            "API is not available for given customer.Please contact support for more info"
        )]
    );

    let no_flow = &PUBLISH_FLOW[4];
    let e = ApiError::from_body(401, no_flow.body).unwrap();
    assert_eq!((e.status(), e.code()), (401, "WA-401"));
    assert_eq!(e.kind(), ApiErrorKind::NotAvailable);
    assert_eq!(
        details(&e),
        [(
            "flow_id",
            "The flow_id either does not exist or does not belong to the account."
        )]
    );
}

/// Codes that the five documents do not print but other Kaleyra pages do (RULES.md), and an
/// unknown code. These bodies are written here in the documents' shape; they are not copied.
#[test]
fn codes_from_other_kaleyra_pages_and_unknown_codes() {
    let cases = [
        (
            429,
            "WA429",
            "Too many requests",
            ApiErrorKind::RateLimited,
            true,
        ),
        (
            429,
            "WAV2101",
            "Daily limit reached",
            ApiErrorKind::DailyLimit,
            false,
        ),
        (418, "XYZ999", "Something new", ApiErrorKind::Other, false),
        (
            400,
            "wa400",
            "lowercase is not WA400",
            ApiErrorKind::Other,
            false,
        ),
        (400, "", "empty code", ApiErrorKind::Other, false),
    ];
    for (status, code, message, kind, retryable) in cases {
        let body =
            json!({"code": code, "message": message, "data": {}, "error": {"error": message}})
                .to_string();
        let e = ApiError::from_body(status, &body).unwrap();
        assert_eq!(e.status(), status);
        assert_eq!(e.code(), code);
        assert_eq!(e.message(), message);
        assert_eq!(e.kind(), kind, "{code}");
        assert_eq!(details(&e), [("error", message)]);
        assert_eq!(kind.is_retryable(), retryable, "{code}");
        assert_eq!(Error::Api(e).is_retryable(), retryable, "{code}");
    }
}

#[test]
fn kinds_and_retryability_by_code() {
    let table = [
        ("RBC001", ApiErrorKind::Unauthorized, false),
        ("WA401", ApiErrorKind::SenderNotOnAccount, false),
        ("WA-401", ApiErrorKind::NotAvailable, false),
        ("WA400", ApiErrorKind::BadPayload, false),
        ("WA-400", ApiErrorKind::BadPayload, false),
        ("E110", ApiErrorKind::LowBalance, false),
        ("WA429", ApiErrorKind::RateLimited, true),
        ("WA500", ApiErrorKind::ServerError, true),
        ("WA-500", ApiErrorKind::ServerError, true),
        ("WAV2101", ApiErrorKind::DailyLimit, false),
        ("WA202", ApiErrorKind::Other, false),
    ];
    for (code, kind, retryable) in table {
        assert_eq!(ApiErrorKind::from_code(code), kind, "{code}");
        assert_eq!(kind.is_retryable(), retryable, "{code}");
    }
}

#[test]
fn lenient_shapes_parse() {
    // `data` swapped between `[]` and `{}` relative to the documents.
    let e = ApiError::from_body(
        401,
        r#"{"code":"RBC001","message":"Incorrect SID or API key.","data":{},"error":{"error":"Incorrect SID or API key."}}"#,
    )
    .unwrap();
    assert_eq!(e.kind(), ApiErrorKind::Unauthorized);
    let e = ApiError::from_body(
        401,
        r#"{"code":"WA401","message":"m","data":[],"error":{"phone_number":"m"}}"#,
    )
    .unwrap();
    assert_eq!(e.kind(), ApiErrorKind::SenderNotOnAccount);
    assert_eq!(details(&e), [("phone_number", "m")]);

    // `error` a string, missing, null, empty object; non-string members are kept as JSON text;
    // unknown members are ignored; several members keep their order.
    let e =
        ApiError::from_body(400, r#"{"code":"WA400","message":"m","error":"just text"}"#).unwrap();
    assert_eq!(details(&e), [("", "just text")]);
    let e = ApiError::from_body(400, r#"{"code":"WA400","message":"m"}"#).unwrap();
    assert!(e.details().is_empty());
    let e = ApiError::from_body(400, r#"{"code":"WA400","message":"m","error":null}"#).unwrap();
    assert!(e.details().is_empty());
    let e = ApiError::from_body(400, r#"{"code":"WA400","message":"m","error":{}}"#).unwrap();
    assert!(e.details().is_empty());
    let e = ApiError::from_body(
        400,
        r#"{"code":"WA400","message":"m","error":{"z":"last?","a":1,"m":["x"]},"extra":true}"#,
    )
    .unwrap();
    assert_eq!(details(&e), [("z", "last?"), ("a", "1"), ("m", r#"["x"]"#)]);

    // No message: empty.
    let e = ApiError::from_body(500, r#"{"code":"WA500"}"#).unwrap();
    assert_eq!((e.code(), e.message()), ("WA500", ""));
    assert_eq!(e.kind(), ApiErrorKind::ServerError);
}

#[test]
fn bodies_that_are_not_kaleyra_error_json_are_not_api_errors() {
    for body in [
        "",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "[]",
        "null",
        r#""WA400""#,
        r#"{"message":"no code"}"#,
        r#"{"code":400,"message":"numeric code"}"#,
        r#"{"code":"WA400""#,
        // The 202 sample of the documents as printed: it lacks commas, so it is not JSON.
        SUCCESS_202_AS_PRINTED,
    ] {
        assert!(ApiError::from_body(400, body).is_none(), "{body:?}");
    }
}

// =============================================================================================
// Part 2: the client against a raw HTTP/1.1 server on loopback
// =============================================================================================

/// The success response of the four send documents, exactly as printed: commas are missing
/// after `"WA202"` and after the `data` object, so it is not valid JSON.
const SUCCESS_202_AS_PRINTED: &str = r#"{
"code":"WA202"
"message":"Request Accepted",
"data":{
"message_id":"AXXXXXXXXXXXXXXXXXXX"
}
"error":{}
}"#;

/// The same success response with the two missing commas added (RULES.md: "the document's
/// sample lacks commas; the real body is JSON"). Nothing else changed.
const SUCCESS_202: &str = r#"{
"code":"WA202",
"message":"Request Accepted",
"data":{
"message_id":"AXXXXXXXXXXXXXXXXXXX"
},
"error":{}
}"#;

/// publish-flow.txt's success response ("with the status 200 Accepted"), verbatim.
const PUBLISH_SUCCESS: &str = r#"{
  "success": true
}"#;

const SID: &str = "HXAP1";
const KEY: &str = "k";
const SENDER: &str = "+15550001234";
const WABA: &str = "1090";
const SENDER_PATH: &str = "/v2/HXAP1/whatsapp/+15550001234/messages";
const WABA_PATH: &str = "/v2/HXAP1/whatsapp/1090/messages";

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    /// Header names lowercased, values as sent, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A canned answer.
struct Canned {
    status: u16,
    content_type: &'static str,
    body: String,
}

/// A minimal HTTP/1.1 server: one request per connection, answered with the next canned
/// response (or a 599 with an empty body if none is left), then the connection is closed.
struct RawServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    canned: Arc<Mutex<VecDeque<Canned>>>,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    async fn start() -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let canned = Arc::new(Mutex::new(VecDeque::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (r, c, n) = (received.clone(), canned.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                n.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, r.clone(), c.clone()));
            }
        });
        RawServer {
            addr,
            received,
            canned,
            connections,
        }
    }

    /// Queues an answer with a JSON content type.
    fn answer(&self, status: u16, body: &str) {
        self.answer_as(status, "application/json", body);
    }

    fn answer_as(&self, status: u16, content_type: &'static str, body: &str) {
        self.canned.lock().unwrap().push_back(Canned {
            status,
            content_type,
            body: body.to_owned(),
        });
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The client of the brief: SID `HXAP1`, key `k`, sender `+15550001234`, WABA id `1090`.
    fn client(&self) -> Client {
        Client::builder()
            .sid(SID)
            .api_key(KEY)
            .base_url(self.url())
            .sender(SENDER)
            .waba_id(WABA)
            .build()
            .unwrap()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn serve(
    mut stream: TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    canned: Arc<Mutex<VecDeque<Canned>>>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let path = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    // Recorded before answering, so that the client sees the record once it has the answer.
    received.lock().unwrap().push(Received {
        method,
        path,
        headers,
        body,
    });
    let answer = canned.lock().unwrap().pop_front().unwrap_or(Canned {
        status: 599,
        content_type: "text/plain",
        body: String::new(),
    });
    let response = format!(
        "HTTP/1.1 {} Canned\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        answer.status,
        answer.content_type,
        answer.body.len(),
        answer.body
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn doc_extra_info() -> ExtraInfo<'static> {
    ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary")
        .source(WaSource::Api)
}

fn auth_message() -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX").unwrap())
        .to("+919876543210")
        .unwrap()
        .extra_info(doc_extra_info())
}

fn flow_template_message() -> Message {
    FlowTemplate::new("flow_template20", "en_US")
        .flow_token("flow_token")
        .flow_action_data(json!({}))
        .to("+919876543210")
        .unwrap()
        .extra_info(doc_extra_info())
}

fn product_message() -> Message {
    ProductTemplate::new(
        "abandoned_cart_offer",
        "en_US",
        "nqrxxx03ez",
        "194XXXXXXXX3835",
    )
    .body_parameter("25OFF")
    .body_parameter("25%")
    .to("+16505551234")
    .unwrap()
    .extra_info(doc_extra_info())
}

fn flow_message() -> Message {
    FlowMessage::with_id("1234567890", "Book now", "Flow message body")
        .header("Flow message header")
        .footer("Flow message footer")
        .token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
        .screen("WELCOME")
        .data(json!({"product_name": "name"}))
        .to("+919876543210")
        .unwrap()
        .extra_info(doc_extra_info())
}

/// Each send document with a message of its kind and the path it must be posted to.
fn messages_by_document() -> Vec<(&'static str, &'static [Documented], Message, &'static str)> {
    vec![
        (
            "send-authentication-template-message.txt",
            AUTHENTICATION,
            auth_message(),
            SENDER_PATH,
        ),
        (
            "send-flow-template-message.txt",
            FLOW_TEMPLATE,
            flow_template_message(),
            SENDER_PATH,
        ),
        (
            "send-single-product-template-message.txt",
            PRODUCT_TEMPLATE,
            product_message(),
            WABA_PATH,
        ),
        (
            "send-flow-message.txt",
            FLOW_MESSAGE,
            flow_message(),
            SENDER_PATH,
        ),
    ]
}

/// Checks a recorded send: method, path, headers, body bytes.
fn assert_request(r: &Received, path: &str, message: &Message) {
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, path);
    assert_eq!(r.header("api-key"), [KEY], "{:?}", r.headers);
    assert_eq!(
        r.header("content-type"),
        ["application/json"],
        "{:?}",
        r.headers
    );
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        message.as_str(),
        "the body posted is not message.as_bytes()"
    );
    assert_eq!(r.body, message.as_bytes());
}

#[tokio::test]
async fn each_kind_is_posted_to_its_route_and_accepted() {
    let server = RawServer::start().await;
    let client = server.client();
    let messages = messages_by_document();
    for (_, _, message, _) in &messages {
        server.answer(202, SUCCESS_202);
        let accepted = client.send(message).await.unwrap();
        assert_eq!(accepted.message_id, "AXXXXXXXXXXXXXXXXXXX");
    }
    let received = server.received();
    assert_eq!(received.len(), messages.len());
    for ((doc, _, message, path), r) in messages.iter().zip(&received) {
        assert_request(r, path, message);
        let expected_route = if *path == WABA_PATH {
            Route::Waba
        } else {
            Route::Sender
        };
        assert_eq!(message.route(), expected_route, "{doc}");
    }
    assert_eq!(
        client.url_for(&product_message()).unwrap(),
        format!("{}{WABA_PATH}", server.url())
    );
    assert_eq!(
        client.url_for(&auth_message()).unwrap(),
        format!("{}{SENDER_PATH}", server.url())
    );
}

#[tokio::test]
async fn any_2xx_with_a_message_id_is_accepted() {
    let server = RawServer::start().await;
    let client = server.client();
    for status in [200, 201, 202, 299] {
        server.answer(
            status,
            r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"m-1"},"error":{}}"#,
        );
        let accepted = client.send(&auth_message()).await.unwrap();
        assert_eq!(accepted.message_id, "m-1", "{status}");
    }
}

#[tokio::test]
async fn a_2xx_without_a_message_id_is_a_decode_error() {
    let server = RawServer::start().await;
    let client = server.client();
    let bodies = [
        (
            202,
            r#"{"code":"WA202","message":"Request Accepted","data":{},"error":{}}"#,
        ),
        (
            202,
            r#"{"code":"WA202","message":"Request Accepted","data":[],"error":{}}"#,
        ),
        (202, r#"{"code":"WA202","data":{"message_id":42}}"#),
        (200, r#"{"success": true}"#),
        (204, ""),
        // The documents' 202 sample exactly as printed (missing commas): not JSON.
        (202, SUCCESS_202_AS_PRINTED),
    ];
    for (status, body) in bodies {
        server.answer(status, body);
        match client.send(&auth_message()).await {
            Err(Error::Decode(e)) => {
                assert_eq!(e.status(), Some(status), "{body}");
                assert_eq!(e.body(), body);
                assert!(!Error::Decode(e).is_retryable());
            }
            other => panic!("{status} {body:?}: {other:?}"),
        }
    }
    assert_eq!(server.received().len(), bodies.len());
}

#[tokio::test]
async fn an_html_502_is_a_decode_error_not_a_panic() {
    let server = RawServer::start().await;
    let client = server.client();
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    server.answer_as(502, "text/html", html);
    match client.send(&auth_message()).await {
        Err(e @ Error::Decode(_)) => {
            assert!(!e.is_retryable());
            let Error::Decode(d) = e else { unreachable!() };
            assert_eq!(d.status(), Some(502));
            assert_eq!(d.body(), html);
        }
        other => panic!("{other:?}"),
    }
    // A 503 page is ambiguous too: a proxy may answer so after the upstream received the
    // request (issue 18).
    server.answer_as(503, "text/html", "<html>503 Service Unavailable</html>");
    match client.send(&auth_message()).await {
        Err(e @ Error::Decode(_)) => assert!(!e.is_retryable() && e.is_ambiguous()),
        other => panic!("{other:?}"),
    }
    // Not even a JSON error for publish.
    server.answer_as(502, "text/html", html);
    assert!(matches!(
        client.publish_flow("1234567890").await,
        Err(Error::Decode(_))
    ));
}

#[tokio::test]
async fn every_documented_send_failure_is_an_api_error_of_its_kind() {
    let server = RawServer::start().await;
    let client = server.client();
    let mut sent = 0;
    for (doc, failures, message, path) in messages_by_document() {
        for d in failures {
            server.answer(d.status, d.body);
            let e = match client.send(&message).await {
                Err(Error::Api(e)) => e,
                other => panic!("{doc}, \"{}\": {other:?}", d.heading),
            };
            assert_documented(&e, doc, d);
            sent += 1;
            let received = server.received();
            assert_eq!(received.len(), sent);
            assert_request(&received[sent - 1], path, &message);
        }
    }
    // Sending is not retried by default, whatever the error: one request per send.
    assert_eq!(sent, 4 * 7);
    assert_eq!(server.connections(), sent);
}

#[tokio::test]
async fn retryable_and_not_retryable_failures() {
    let server = RawServer::start().await;
    let client = server.client();
    let cases = [
        (AUTHENTICATION[3].status, AUTHENTICATION[3].body, true), // WA500
        (PUBLISH_FLOW[3].status, PUBLISH_FLOW[3].body, true),     // WA-500
        (
            429,
            r#"{"code":"WA429","message":"Too many requests","data":{},"error":{"error":"Too many requests"}}"#,
            true,
        ),
        (AUTHENTICATION[0].status, AUTHENTICATION[0].body, false), // RBC001
        (AUTHENTICATION[4].status, AUTHENTICATION[4].body, false), // E110
        (AUTHENTICATION[2].status, AUTHENTICATION[2].body, false), // WA400
        (AUTHENTICATION[1].status, AUTHENTICATION[1].body, false), // WA401
        (AUTHENTICATION[5].status, AUTHENTICATION[5].body, false), // WA-401
    ];
    for (status, body, retryable) in cases {
        server.answer(status, body);
        let err = client.send(&auth_message()).await.unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(err.is_retryable(), retryable, "{err:?}");
    }
    // No retries by default: exactly one request per send, retryable or not.
    assert_eq!(server.received().len(), cases.len());
}

#[tokio::test]
async fn publish_flow_posts_to_the_flow_route() {
    let server = RawServer::start().await;
    let client = server.client();
    server.answer(200, PUBLISH_SUCCESS);
    client.publish_flow("1234567890").await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v2/HXAP1/whatsapp/1234567890/publish");
    assert_eq!(r.header("api-key"), [KEY]);
    assert_eq!(r.header("content-type"), ["application/json"]);
    // The documents' curl sends no body.
    assert!(r.body.is_empty(), "{:?}", r.body);

    // A FlowId works too.
    server.answer(200, PUBLISH_SUCCESS);
    let id = kaleyra::FlowId::new("112000000000207").unwrap();
    client.publish_flow(&id).await.unwrap();
    assert_eq!(
        server.received()[1].path,
        "/v2/HXAP1/whatsapp/112000000000207/publish"
    );
}

#[tokio::test]
async fn every_documented_publish_failure_is_an_api_error_of_its_kind() {
    let server = RawServer::start().await;
    let client = server.client();
    for d in PUBLISH_FLOW {
        server.answer(d.status, d.body);
        match client.publish_flow("1234567890").await {
            Err(Error::Api(e)) => assert_documented(&e, "publish-flow.txt", d),
            other => panic!("\"{}\": {other:?}", d.heading),
        }
    }
    assert_eq!(server.received().len(), PUBLISH_FLOW.len());
}

#[tokio::test]
async fn publish_flow_with_a_bad_id_sends_nothing() {
    let server = RawServer::start().await;
    let client = server.client();
    for bad in ["12ab", "", " 123", "-1", "١٢٣"] {
        match client.publish_flow(bad).await {
            Err(Error::Validation(_)) => {}
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert_eq!(server.connections(), 0);
    // The server works: the next, valid, publish is the only request it ever saw.
    server.answer(200, PUBLISH_SUCCESS);
    client.publish_flow("1234567890").await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/v2/HXAP1/whatsapp/1234567890/publish");
}

fn config_error(result: Result<Client, Error>) -> kaleyra::ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn configuration_errors() {
    let base = || {
        Client::builder()
            .sid(SID)
            .api_key(KEY)
            .base_url("http://127.0.0.1:9")
    };

    // Missing or empty SID and API key.
    let e = config_error(
        Client::builder()
            .api_key(KEY)
            .base_url("http://127.0.0.1:9")
            .build(),
    );
    assert_eq!(e.setting(), "sid");
    assert_eq!(config_error(base().sid("").build()).setting(), "sid");
    let e = config_error(
        Client::builder()
            .sid(SID)
            .base_url("http://127.0.0.1:9")
            .build(),
    );
    assert_eq!(e.setting(), "api key");
    assert_eq!(
        config_error(base().api_key("").build()).setting(),
        "api key"
    );

    // Plain http is allowed only on loopback.
    for url in [
        "http://api.in.kaleyra.io",
        "http://example.com:8080",
        "http://10.0.0.1",
        "http://192.168.1.10:80",
        "ftp://127.0.0.1",
        "not a url",
    ] {
        let e = config_error(base().base_url(url).build());
        assert_eq!(e.setting(), "base URL", "{url}");
    }
    for url in [
        "http://127.0.0.1:9",
        "http://localhost:9",
        "http://[::1]:9",
        "https://api.in.kaleyra.io",
    ] {
        base()
            .base_url(url)
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }

    // A sender that is not E.164 with `+`.
    for sender in [
        "15550001234",
        "+1555000123456789",
        "+0155500",
        "+1 555 abc",
        "",
    ] {
        let e = config_error(base().sender(sender).build());
        assert_eq!(e.setting(), "sender", "{sender:?}");
    }
    // A WABA id that is not digits.
    assert_eq!(
        config_error(base().waba_id("1090x").build()).setting(),
        "WABA id"
    );
}

#[tokio::test]
async fn a_product_template_without_a_waba_id_is_a_config_error_and_sends_nothing() {
    let server = RawServer::start().await;
    let client = Client::builder()
        .sid(SID)
        .api_key(KEY)
        .base_url(server.url())
        .sender(SENDER)
        .build()
        .unwrap();
    match client.send(&product_message()).await {
        Err(Error::Config(e)) => assert_eq!(e.setting(), "WABA id"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.url_for(&product_message()),
        Err(Error::Config(_))
    ));
    assert_eq!(server.connections(), 0);
    // The same client sends the sender-route kinds; that is the only request the server saw.
    server.answer(202, SUCCESS_202);
    client.send(&auth_message()).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_request(&received[0], SENDER_PATH, &auth_message());
}

#[tokio::test]
async fn a_sender_route_message_without_a_sender_is_a_config_error_and_sends_nothing() {
    let server = RawServer::start().await;
    let client = Client::builder()
        .sid(SID)
        .api_key(KEY)
        .base_url(server.url())
        .waba_id(WABA)
        .build()
        .unwrap();
    for message in [auth_message(), flow_template_message(), flow_message()] {
        match client.send(&message).await {
            Err(Error::Config(e)) => assert_eq!(e.setting(), "sender"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(server.connections(), 0);
    server.answer(202, SUCCESS_202);
    client.send(&product_message()).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_request(&received[0], WABA_PATH, &product_message());
}
