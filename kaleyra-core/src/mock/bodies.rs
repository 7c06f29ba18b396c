//! The response bodies of Kaleyra's documents, as the documents show them.

/// 401: incorrect SID or API key. Note `"data": []`.
pub(super) const RBC001: &str = r#"{
    "code": "RBC001",
    "message": "Incorrect SID or API key.",
    "data": [],
    "error": {
        "error": "Incorrect SID or API key."
    }
}"#;

/// 401: the `{sender}` of the messages route is not the account's.
pub(super) const WA401: &str = r#"{
    "code": "WA401",
    "message": "Phone number is not present or does not belong to the account.",
    "data": {},
    "error": {
        "phone_number": "Phone number is not present or does not belong to the account."
    }
}"#;

/// 400: the message payload is refused.
pub(super) const WA400: &str = r#"{
    "code": "WA400",
    "message": "Refer to correct payload format",
    "data": {},
    "error": {
        "payload": "Incorrect payload format"
    }
}"#;

/// 400: the publish request is refused (the publish document's code).
pub(super) const WA_400: &str = r#"{
    "code": "WA-400",
    "message": "Refer to correct payload format",
    "data": {},
    "error": {
        "payload": "Incorrect payload format"
    }
}"#;

/// 500: try again later.
pub(super) const WA500: &str = r#"{
    "code": "WA500",
    "message": "Please try again later",
    "data": {},
    "error": {
        "error": "Internal server error"
    }
}"#;

/// 429: too many requests. The send documents print no body for it: Kaleyra's error envelope
/// with the code and message of its template-API error table (RULES.md).
pub(super) const WA429: &str = r#"{
    "code": "WA429",
    "message": "Too many requests",
    "data": {},
    "error": {
        "error": "Too many requests"
    }
}"#;

/// 400: the account's balance is too low.
pub(super) const E110: &str = r#"{
    "code": "E110",
    "message": "Please check your balance, You have a low balance!",
    "data": {},
    "error": {
        "balance": "Please check your balance, You have a low balance!"
    }
}"#;

/// 401: publishing a flow the account does not have.
pub(super) const WA_401_FLOW: &str = r#"{
    "code": "WA-401",
    "message": "The flow_id either does not exist or does not belong to the account.",
    "data": {},
    "error": {
        "flow_id": "The flow_id either does not exist or does not belong to the account."
    }
}"#;

/// 200: the flow is published.
pub(super) const PUBLISHED: &str = r#"{
    "success": true
}"#;

/// 202: the message is accepted, with its id.
pub(super) fn accepted(message_id: &str) -> String {
    let mut body =
        String::from(r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"#);
    body.push_str(&crate::json::string(message_id));
    body.push_str(r#"},"error":{}}"#);
    body
}

/// Kaleyra's envelope around Meta's error object `code` (`title`, `details`): how the
/// simulator refuses a send that WhatsApp refuses (catalogue.rs) and a flow call Meta refuses
/// (flows.rs).
pub(super) fn meta_error(code: u32, title: &str, details: &str) -> String {
    let message = format!("(#{code}) {title}");
    serde_json::json!({
        "code": code.to_string(),
        "message": message,
        "data": {},
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
        },
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn every_body_is_json() {
        for body in [
            RBC001,
            WA401,
            WA400,
            WA_400,
            WA500,
            WA429,
            E110,
            WA_401_FLOW,
            PUBLISHED,
        ] {
            assert!(serde_json::from_str::<Value>(body).is_ok(), "{body}");
        }
        assert_eq!(
            serde_json::from_str::<Value>(&accepted("A1")).ok(),
            Some(
                json!({"code":"WA202","message":"Request Accepted","data":{"message_id":"A1"},"error":{}})
            )
        );
        assert_eq!(
            serde_json::from_str::<Value>(RBC001)
                .ok()
                .map(|v| v["data"].clone()),
            Some(json!([]))
        );
    }
}
