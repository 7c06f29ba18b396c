//! encode: build + validate + serialize one message to the exact bytes that are posted, for each
//! of the four kinds and a general template (document header, text/currency/date-time body,
//! URL and quick-reply buttons), against what a user would write without this library:
//!
//! - `ours`: the derive: `Struct { .. }.to(recipient)?.extra_info(..)`, one fresh buffer;
//! - `json_macro`: `serde_json::json!` + `serde_json::to_vec` (no validation);
//! - `serde_mirror`: a hand-written `#[derive(Serialize)]` mirror of borrowed `&str` fields +
//!   `to_vec`: serde's own floor (no validation).
//!
//! Plus `ours_reused_buffer` / `serde_mirror_reused_buffer`: the same into a buffer reused across
//! messages (`Template::write_message`, `serde_json::to_writer`).
//!
//! Every variant produces the same bytes; `main` checks that before measuring.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kaleyra::{
    Currency, DateTime, ExtraInfo, Flow, Media, Otp, SessionMessage, Template, WaSource,
};
use serde::Serialize;
use serde_json::json;

const TO: &str = "+919876543210";

fn extra() -> ExtraInfo<'static> {
    ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary")
        .source(WaSource::Api)
}

#[derive(Serialize)]
struct Extra<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    ref1: &'a str,
    ref2: &'a str,
    wa_source: &'a str,
}

const EXTRA: Extra<'static> = Extra {
    reference: "customer1",
    ref1: "marketing",
    ref2: "dictionary",
    wa_source: "api",
};

#[derive(Serialize)]
struct Language<'a> {
    code: &'a str,
}

#[derive(Serialize)]
struct TextParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    text: &'a str,
}

// ---------------------------------------------------------------- authentication template

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode<'a> {
    #[template(otp)]
    code: &'a str,
}

#[derive(Serialize)]
struct AuthBody<'a> {
    messaging_object: AuthObject<'a>,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct AuthObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    template: AuthTemplate<'a>,
}

#[derive(Serialize)]
struct AuthTemplate<'a> {
    name: &'a str,
    language: Language<'a>,
    components: (BodyComponent<'a>, UrlButton<'a>),
}

#[derive(Serialize)]
struct BodyComponent<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    parameters: [TextParameter<'a>; 1],
}

#[derive(Serialize)]
struct UrlButton<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    sub_type: &'a str,
    index: u8,
    parameters: [TextParameter<'a>; 1],
}

fn auth_mirror(code: &str) -> AuthBody<'_> {
    AuthBody {
        messaging_object: AuthObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "template",
            template: AuthTemplate {
                name: "auth1",
                language: Language { code: "en_US" },
                components: (
                    BodyComponent {
                        kind: "body",
                        parameters: [TextParameter {
                            kind: "text",
                            text: code,
                        }],
                    },
                    UrlButton {
                        kind: "button",
                        sub_type: "url",
                        index: 0,
                        parameters: [TextParameter {
                            kind: "text",
                            text: code,
                        }],
                    },
                ),
            },
        },
        extra_info: EXTRA,
    }
}

fn auth_json(code: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {
                "name": "auth1",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": code}]},
                    {"type": "button", "sub_type": "url", "index": 0,
                     "parameters": [{"type": "text", "text": code}]}
                ]
            }
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

// ---------------------------------------------------------------- flow template

type Object = serde_json::Map<String, serde_json::Value>;

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
struct Survey<'a> {
    #[template(flow_token)]
    token: &'a str,
    #[template(flow_action_data)]
    first_screen: &'a Object,
}

#[derive(Serialize)]
struct FlowTemplateBody<'a> {
    messaging_object: FlowTemplateObject<'a>,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct FlowTemplateObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    template: FlowTemplateTemplate<'a>,
}

#[derive(Serialize)]
struct FlowTemplateTemplate<'a> {
    name: &'a str,
    language: Language<'a>,
    components: [FlowButton<'a>; 1],
}

#[derive(Serialize)]
struct FlowButton<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    sub_type: &'a str,
    index: u8,
    parameters: [ActionParameter<'a>; 1],
}

#[derive(Serialize)]
struct ActionParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    action: FlowButtonAction<'a>,
}

#[derive(Serialize)]
struct FlowButtonAction<'a> {
    flow_token: &'a str,
    flow_action_data: &'a Object,
}

fn flow_template_mirror<'a>(token: &'a str, data: &'a Object) -> FlowTemplateBody<'a> {
    FlowTemplateBody {
        messaging_object: FlowTemplateObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "template",
            template: FlowTemplateTemplate {
                name: "flow_template20",
                language: Language { code: "en_US" },
                components: [FlowButton {
                    kind: "button",
                    sub_type: "flow",
                    index: 0,
                    parameters: [ActionParameter {
                        kind: "action",
                        action: FlowButtonAction {
                            flow_token: token,
                            flow_action_data: data,
                        },
                    }],
                }],
            },
        },
        extra_info: EXTRA,
    }
}

fn flow_template_json(token: &str, data: &Object) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {
                "name": "flow_template20",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "button", "sub_type": "flow", "index": 0,
                     "parameters": [{"type": "action",
                                     "action": {"flow_token": token, "flow_action_data": data}}]}
                ]
            }
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

// ---------------------------------------------------------------- single-product template

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
struct CartOffer<'a> {
    #[template(product_retailer_id)]
    product: &'a str,
    #[template(catalog_id)]
    catalog: &'a str,
    #[template(body)]
    code: &'a str,
    #[template(body)]
    discount: &'a str,
}

#[derive(Serialize)]
struct ProductBody<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    template: ProductTemplate<'a>,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct ProductTemplate<'a> {
    name: &'a str,
    language: PolicyLanguage<'a>,
    components: (ProductHeader<'a>, BodyComponent2<'a>),
}

#[derive(Serialize)]
struct PolicyLanguage<'a> {
    policy: &'a str,
    code: &'a str,
}

#[derive(Serialize)]
struct ProductHeader<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    parameters: [ProductParameter<'a>; 1],
}

#[derive(Serialize)]
struct ProductParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    product: Product<'a>,
}

#[derive(Serialize)]
struct Product<'a> {
    product_retailer_id: &'a str,
    catalog_id: &'a str,
}

#[derive(Serialize)]
struct BodyComponent2<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    parameters: [TextParameter<'a>; 2],
}

fn product_mirror<'a>(
    product: &'a str,
    catalog: &'a str,
    code: &'a str,
    discount: &'a str,
) -> ProductBody<'a> {
    ProductBody {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: TO,
        kind: "template",
        template: ProductTemplate {
            name: "abandoned_cart_offer",
            language: PolicyLanguage {
                policy: "deterministic",
                code: "en_US",
            },
            components: (
                ProductHeader {
                    kind: "header",
                    parameters: [ProductParameter {
                        kind: "product",
                        product: Product {
                            product_retailer_id: product,
                            catalog_id: catalog,
                        },
                    }],
                },
                BodyComponent2 {
                    kind: "body",
                    parameters: [
                        TextParameter {
                            kind: "text",
                            text: code,
                        },
                        TextParameter {
                            kind: "text",
                            text: discount,
                        },
                    ],
                },
            ),
        },
        extra_info: EXTRA,
    }
}

fn product_json(product: &str, catalog: &str, code: &str, discount: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "template",
        "template": {
            "name": "abandoned_cart_offer",
            "language": {"policy": "deterministic", "code": "en_US"},
            "components": [
                {"type": "header", "parameters": [{"type": "product",
                    "product": {"product_retailer_id": product, "catalog_id": catalog}}]},
                {"type": "body", "parameters": [{"type": "text", "text": code},
                                                {"type": "text", "text": discount}]}
            ]
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

// ---------------------------------------------------------------- interactive flow message

#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    header = "Flow message header",
    body = "Flow message body",
    footer = "Flow message footer"
)]
struct Booking<'a> {
    #[flow(token)]
    token: &'a str,
    date: &'a str,
    guests: u8,
}

#[derive(Serialize)]
struct FlowMessageBody<'a> {
    messaging_object: FlowMessageObject<'a>,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct FlowMessageObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    interactive: Interactive<'a>,
}

#[derive(Serialize)]
struct Interactive<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    header: Header<'a>,
    body: Text<'a>,
    footer: Text<'a>,
    action: Action<'a>,
}

#[derive(Serialize)]
struct Header<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Action<'a> {
    name: &'a str,
    parameters: Parameters<'a>,
}

#[derive(Serialize)]
struct Parameters<'a> {
    flow_message_version: &'a str,
    flow_token: &'a str,
    flow_id: &'a str,
    flow_cta: &'a str,
    flow_action: &'a str,
    flow_action_payload: Payload<'a>,
}

#[derive(Serialize)]
struct Payload<'a> {
    screen: &'a str,
    data: BookingData<'a>,
}

#[derive(Serialize)]
struct BookingData<'a> {
    date: &'a str,
    guests: u8,
}

fn flow_message_mirror<'a>(token: &'a str, date: &'a str, guests: u8) -> FlowMessageBody<'a> {
    FlowMessageBody {
        messaging_object: FlowMessageObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "interactive",
            interactive: Interactive {
                kind: "flow",
                header: Header {
                    kind: "text",
                    text: "Flow message header",
                },
                body: Text {
                    text: "Flow message body",
                },
                footer: Text {
                    text: "Flow message footer",
                },
                action: Action {
                    name: "flow",
                    parameters: Parameters {
                        flow_message_version: "3",
                        flow_token: token,
                        flow_id: "1234567890",
                        flow_cta: "Book now",
                        flow_action: "navigate",
                        flow_action_payload: Payload {
                            screen: "WELCOME",
                            data: BookingData { date, guests },
                        },
                    },
                },
            },
        },
        extra_info: EXTRA,
    }
}

fn flow_message_json(token: &str, date: &str, guests: u8) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "interactive",
            "interactive": {
                "type": "flow",
                "header": {"type": "text", "text": "Flow message header"},
                "body": {"text": "Flow message body"},
                "footer": {"text": "Flow message footer"},
                "action": {"name": "flow", "parameters": {
                    "flow_message_version": "3",
                    "flow_token": token,
                    "flow_id": "1234567890",
                    "flow_cta": "Book now",
                    "flow_action": "navigate",
                    "flow_action_payload": {"screen": "WELCOME",
                                            "data": {"date": date, "guests": guests}}
                }}
            }
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

// ---------------------------------------------------------------- general template

/// A general template with a document header, three body parameters (text, currency,
/// date-time) and two buttons (a dynamic URL and a quick reply).
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped<'a> {
    #[template(header)]
    invoice: Media,
    #[template(body)]
    customer: &'a str,
    #[template(body)]
    total: Currency,
    #[template(body)]
    delivery: DateTime,
    #[template(button(url, index = 0))]
    tracking: &'a str,
    #[template(button(quick_reply, index = 1))]
    stop: &'a str,
}

/// The per-message values, as a user's program has them: text.
#[derive(Clone, Copy)]
struct Order<'a> {
    link: &'a str,
    filename: &'a str,
    customer: &'a str,
    currency: &'a str,
    amount_1000: i64,
    total: &'a str,
    delivery: &'a str,
    tracking: &'a str,
    stop: &'a str,
}

const ORDER: Order<'static> = Order {
    link: "https://example.com/invoices/2026/42.pdf",
    filename: "Invoice 42.pdf",
    customer: "Ada Lovelace",
    currency: "USD",
    amount_1000: 100_990,
    total: "$100.99",
    delivery: "Tuesday, 3 March, 10:00",
    tracking: "track/42",
    stop: "STOP_PROMOTIONS",
};

/// Ours, validation included: the value types are built (and checked) from the text, then the
/// message.
fn general_ours(o: Order<'_>) -> Vec<u8> {
    let message = (|| {
        OrderShipped {
            invoice: Media::document_link(o.link)?.filename(o.filename)?,
            customer: o.customer,
            total: Currency::new(o.currency, o.amount_1000, o.total)?,
            delivery: DateTime::new(o.delivery)?,
            tracking: o.tracking,
            stop: o.stop,
        }
        .to(TO)
    })();
    message
        .map(|m| m.extra_info(extra()).into_bytes())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct GeneralBody<'a> {
    messaging_object: GeneralObject<'a>,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct GeneralObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    template: GeneralTemplate<'a>,
}

#[derive(Serialize)]
struct GeneralTemplate<'a> {
    name: &'a str,
    language: Language<'a>,
    components: (
        DocumentHeader<'a>,
        GeneralBodyComponent<'a>,
        UrlButton<'a>,
        QuickReplyButton<'a>,
    ),
}

#[derive(Serialize)]
struct DocumentHeader<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    parameters: [DocumentParameter<'a>; 1],
}

#[derive(Serialize)]
struct DocumentParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    document: Document<'a>,
}

#[derive(Serialize)]
struct Document<'a> {
    link: &'a str,
    filename: &'a str,
}

#[derive(Serialize)]
struct GeneralBodyComponent<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    parameters: (
        TextParameter<'a>,
        CurrencyParameter<'a>,
        DateTimeParameter<'a>,
    ),
}

#[derive(Serialize)]
struct CurrencyParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    currency: CurrencyValue<'a>,
}

#[derive(Serialize)]
struct CurrencyValue<'a> {
    fallback_value: &'a str,
    code: &'a str,
    amount_1000: i64,
}

#[derive(Serialize)]
struct DateTimeParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    date_time: DateTimeValue<'a>,
}

#[derive(Serialize)]
struct DateTimeValue<'a> {
    fallback_value: &'a str,
}

#[derive(Serialize)]
struct QuickReplyButton<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    sub_type: &'a str,
    index: u8,
    parameters: [PayloadParameter<'a>; 1],
}

#[derive(Serialize)]
struct PayloadParameter<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    payload: &'a str,
}

fn general_mirror(o: Order<'_>) -> GeneralBody<'_> {
    GeneralBody {
        messaging_object: GeneralObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "template",
            template: GeneralTemplate {
                name: "order_shipped",
                language: Language { code: "en_US" },
                components: (
                    DocumentHeader {
                        kind: "header",
                        parameters: [DocumentParameter {
                            kind: "document",
                            document: Document {
                                link: o.link,
                                filename: o.filename,
                            },
                        }],
                    },
                    GeneralBodyComponent {
                        kind: "body",
                        parameters: (
                            TextParameter {
                                kind: "text",
                                text: o.customer,
                            },
                            CurrencyParameter {
                                kind: "currency",
                                currency: CurrencyValue {
                                    fallback_value: o.total,
                                    code: o.currency,
                                    amount_1000: o.amount_1000,
                                },
                            },
                            DateTimeParameter {
                                kind: "date_time",
                                date_time: DateTimeValue {
                                    fallback_value: o.delivery,
                                },
                            },
                        ),
                    },
                    UrlButton {
                        kind: "button",
                        sub_type: "url",
                        index: 0,
                        parameters: [TextParameter {
                            kind: "text",
                            text: o.tracking,
                        }],
                    },
                    QuickReplyButton {
                        kind: "button",
                        sub_type: "quick_reply",
                        index: 1,
                        parameters: [PayloadParameter {
                            kind: "payload",
                            payload: o.stop,
                        }],
                    },
                ),
            },
        },
        extra_info: EXTRA,
    }
}

fn general_json(o: Order<'_>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {
                "name": "order_shipped",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "header", "parameters": [{"type": "document",
                        "document": {"link": o.link, "filename": o.filename}}]},
                    {"type": "body", "parameters": [
                        {"type": "text", "text": o.customer},
                        {"type": "currency", "currency": {"fallback_value": o.total,
                            "code": o.currency, "amount_1000": o.amount_1000}},
                        {"type": "date_time", "date_time": {"fallback_value": o.delivery}}
                    ]},
                    {"type": "button", "sub_type": "url", "index": 0,
                     "parameters": [{"type": "text", "text": o.tracking}]},
                    {"type": "button", "sub_type": "quick_reply", "index": 1,
                     "parameters": [{"type": "payload", "payload": o.stop}]}
                ]
            }
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

// ---------------------------------------------------------------- session messages (issue 15)
// A text message and a 3-button reply-button message (`#[derive(Buttons)]`), each with
// `extra_info`; and reading a customer's button tap into the enum. `serde_mirror` is serde's
// floor as above (no validation); `serde_mirror_validated` adds by hand the checks ours makes
// (lengths in characters, the recipient's digits), for the comparison "validation included".

#[derive(kaleyra::Buttons, Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(id = "cancel", title = "Cancel order")]
    Cancel,
}

const SESSION_TEXT: &str = "Your order A-1001 has shipped";
const ASK_BODY: &str = "When should we deliver?";
const ASK_FOOTER: &str = "Reply within 24 hours";

#[derive(Serialize)]
struct SessBody<'a, T: Serialize> {
    messaging_object: T,
    extra_info: Extra<'a>,
}

#[derive(Serialize)]
struct SessTextObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    text: SessText<'a>,
}

#[derive(Serialize)]
struct SessText<'a> {
    preview_url: bool,
    body: &'a str,
}

#[derive(Serialize)]
struct SessButtonsObject<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    interactive: SessInteractive<'a>,
}

#[derive(Serialize)]
struct SessInteractive<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    body: Text<'a>,
    footer: Text<'a>,
    action: SessAction<'a>,
}

#[derive(Serialize)]
struct SessAction<'a> {
    buttons: [SessButton<'a>; 3],
}

#[derive(Serialize)]
struct SessButton<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    reply: SessReply<'a>,
}

#[derive(Serialize)]
struct SessReply<'a> {
    id: &'a str,
    title: &'a str,
}

fn text_ours(body: &str) -> Vec<u8> {
    kaleyra::session::Text::new(body)
        .and_then(|t| t.to(TO))
        .map(|m| m.extra_info(extra()).into_bytes())
        .unwrap_or_default()
}

fn text_mirror(body: &str) -> SessBody<'_, SessTextObject<'_>> {
    SessBody {
        messaging_object: SessTextObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "text",
            text: SessText {
                preview_url: false,
                body,
            },
        },
        extra_info: EXTRA,
    }
}

fn text_json(body: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "text",
            "text": {"preview_url": false, "body": body}
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

/// The checks a hand-written sender would make: 1-`max` characters.
fn fits(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max
}

/// `+` and 1-15 digits.
fn e164(to: &str) -> bool {
    to.strip_prefix('+')
        .is_some_and(|d| (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

fn text_mirror_validated(body: &str) -> Vec<u8> {
    if !fits(body, 4096) || !e164(TO) {
        return Vec::new();
    }
    serde_json::to_vec(&text_mirror(body)).unwrap_or_default()
}

fn buttons_ours(body: &str, footer: &str) -> Vec<u8> {
    Delivery::ask(body)
        .and_then(|b| b.footer(footer))
        .and_then(|b| b.to(TO))
        .map(|m| m.extra_info(extra()).into_bytes())
        .unwrap_or_default()
}

const DELIVERY: [(&str, &str); 3] = [
    ("Tomorrow", "Tomorrow"),
    ("NextWeek", "Next week"),
    ("cancel", "Cancel order"),
];

fn buttons_mirror<'a>(body: &'a str, footer: &'a str) -> SessBody<'a, SessButtonsObject<'a>> {
    let button = |(id, title): (&'a str, &'a str)| SessButton {
        kind: "reply",
        reply: SessReply { id, title },
    };
    SessBody {
        messaging_object: SessButtonsObject {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "interactive",
            interactive: SessInteractive {
                kind: "button",
                body: Text { text: body },
                footer: Text { text: footer },
                action: SessAction {
                    buttons: DELIVERY.map(button),
                },
            },
        },
        extra_info: EXTRA,
    }
}

fn buttons_json(body: &str, footer: &str) -> Vec<u8> {
    let buttons: Vec<serde_json::Value> = DELIVERY
        .iter()
        .map(|(id, title)| json!({"type": "reply", "reply": {"id": id, "title": title}}))
        .collect();
    serde_json::to_vec(&json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": body},
                "footer": {"text": footer},
                "action": {"buttons": buttons}
            }
        },
        "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
    }))
    .unwrap_or_default()
}

fn buttons_mirror_validated(body: &str, footer: &str) -> Vec<u8> {
    // The buttons are literals (the derive checks them at compile time); the values are not.
    if !fits(body, 1024) || !fits(footer, 60) || !e164(TO) {
        return Vec::new();
    }
    serde_json::to_vec(&buttons_mirror(body, footer)).unwrap_or_default()
}

/// A customer's tap as Kaleyra posts it (v2-more-facts.md §3.4, facts §1.4 [META]).
fn tap_callback() -> Vec<u8> {
    json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "106540352242922"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [{
                    "context": {"from": "15550001234", "id": "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQTlGMzYzNzYyRTM1QjA2AA=="},
                    "from": "919876543210",
                    "id": "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0VCMEQ4QzQ4RjE2MjYzMjVBRjAA",
                    "timestamp": "1722863329",
                    "type": "interactive",
                    "interactive": {
                        "type": "button_reply",
                        "button_reply": {"id": "cancel", "title": "Cancel order"}
                    }
                }]
            },
            "field": "messages"
        },
        "extra_info": {
            "ref": "customer1",
            "trace_id": "cb94fee2-3e70-4c1a-944a-2a4000adb90a",
            "waba_id": "347000000000069"
        }
    })
    .to_string()
    .into_bytes()
}

fn tap_ours(body: &[u8]) -> Option<Delivery> {
    let callback = kaleyra::callback::Callback::from_slice(body).ok()?;
    match &callback.messages().first()?.content {
        kaleyra::callback::Content::ButtonReply(tap) => tap.parse::<Delivery>().ok(),
        _ => None,
    }
}

/// The owned mirror a hand-written receiver would read the same callback into: the members
/// ours reads (as in benches/callback.rs), with `String` fields.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read, not used: the comparison is the reading
struct TapCallback {
    meta_object: TapMeta,
    extra_info: Option<TapExtra>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapMeta {
    value: TapValue,
    field: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapValue {
    messaging_product: Option<String>,
    metadata: Option<TapMetadata>,
    #[serde(default)]
    contacts: Vec<TapContact>,
    #[serde(default)]
    messages: Vec<TapMessage>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapMetadata {
    display_phone_number: Option<String>,
    phone_number_id: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapContact {
    profile: Option<TapProfile>,
    wa_id: String,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapProfile {
    name: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapExtra {
    #[serde(rename = "ref")]
    reference: Option<String>,
    trace_id: Option<String>,
    waba_id: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapMessage {
    context: Option<TapContext>,
    from: String,
    id: String,
    timestamp: String,
    #[serde(rename = "type")]
    kind: String,
    interactive: Option<TapInteractive>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapContext {
    from: Option<String>,
    id: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapInteractive {
    #[serde(rename = "type")]
    kind: String,
    button_reply: Option<TapReply>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TapReply {
    id: String,
    title: String,
}

fn delivery(id: &str) -> Option<Delivery> {
    match id {
        "Tomorrow" => Some(Delivery::Tomorrow),
        "NextWeek" => Some(Delivery::NextWeek),
        "cancel" => Some(Delivery::Cancel),
        _ => None,
    }
}

fn tap_mirror(body: &[u8]) -> Option<Delivery> {
    let callback: TapCallback = serde_json::from_slice(body).ok()?;
    let message = callback.meta_object.value.messages.into_iter().next()?;
    delivery(&message.interactive?.button_reply?.id)
}

/// The floor: only the tap's path (`meta_object.value.messages[].interactive.button_reply`),
/// every other member skipped.
#[derive(serde::Deserialize)]
struct TapOnly {
    meta_object: TapOnlyMeta,
}

#[derive(serde::Deserialize)]
struct TapOnlyMeta {
    value: TapOnlyValue,
}

#[derive(serde::Deserialize)]
struct TapOnlyValue {
    #[serde(default)]
    messages: Vec<TapOnlyMessage>,
}

#[derive(serde::Deserialize)]
struct TapOnlyMessage {
    interactive: Option<TapOnlyInteractive>,
}

#[derive(serde::Deserialize)]
struct TapOnlyInteractive {
    button_reply: Option<TapOnlyReply>,
}

#[derive(serde::Deserialize)]
struct TapOnlyReply {
    id: String,
}

fn tap_only(body: &[u8]) -> Option<Delivery> {
    let callback: TapOnly = serde_json::from_slice(body).ok()?;
    let message = callback.meta_object.value.messages.into_iter().next()?;
    delivery(&message.interactive?.button_reply?.id)
}

fn session_same_bytes() {
    let text = [
        text_ours(SESSION_TEXT),
        text_json(SESSION_TEXT),
        serde_json::to_vec(&text_mirror(SESSION_TEXT)).unwrap_or_default(),
        text_mirror_validated(SESSION_TEXT),
    ];
    let buttons = [
        buttons_ours(ASK_BODY, ASK_FOOTER),
        buttons_json(ASK_BODY, ASK_FOOTER),
        serde_json::to_vec(&buttons_mirror(ASK_BODY, ASK_FOOTER)).unwrap_or_default(),
        buttons_mirror_validated(ASK_BODY, ASK_FOOTER),
    ];
    for (kind, variants) in [("session text", text), ("reply buttons", buttons)] {
        assert!(!variants[0].is_empty(), "{kind}: ours failed");
        for other in &variants[1..] {
            assert_eq!(variants[0], *other, "{kind}: the variants differ");
        }
    }
    let tap = tap_callback();
    assert_eq!(tap_ours(&tap), Some(Delivery::Cancel));
    assert_eq!(tap_mirror(&tap), Some(Delivery::Cancel));
    assert_eq!(tap_only(&tap), Some(Delivery::Cancel));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Nanoseconds per call of `f`, over `n` calls.
fn per_call(n: u32, f: &mut dyn FnMut()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(n)
}

/// `ours` against each of `others` in alternating short batches, the order rotated each round,
/// so that the machine's noise (two cores shared with other work) hits all alike (as
/// benches/callback.rs does); prints each one's median time per call and the median of the
/// per-round ratios ours / other. `PAIRED_ROUNDS=0` skips it, e.g. when another group is
/// measured.
/// A labelled function measured by [`paired`].
type Reader<'a> = (&'a str, Box<dyn FnMut() + 'a>);

fn paired(name: &str, calls: u32, mut readers: Vec<Reader<'_>>) {
    // `PAIRED_ROUNDS=0` skips it.
    let rounds: usize = std::env::var("PAIRED_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(101);
    // Only under `cargo bench` (which passes `--bench`), not in `cargo test`'s quick check.
    if rounds == 0 || readers.is_empty() || !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n = readers.len();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); n];
    for round in 0..rounds {
        let mut t = vec![0.0; n];
        for k in 0..n {
            let which = (round + k) % n;
            t[which] = per_call(calls, &mut readers[which].1);
        }
        for k in 0..n {
            times[k].push(t[k]);
            ratios[k].push(t[0] / t[k]);
        }
    }
    let mut line = format!("paired {name} ({rounds} rounds of {calls} calls):");
    for (k, (label, _)) in readers.iter().enumerate() {
        line.push_str(&format!(" {label} {:.0} ns", median(times[k].clone())));
        if k > 0 {
            line.push_str(&format!(" (ours/{label} {:.3})", median(ratios[k].clone())));
        }
        line.push(';');
    }
    println!("{line}");
}

fn session(c: &mut Criterion) {
    session_same_bytes();
    let tap = tap_callback();
    paired(
        "encode/session_text",
        2000,
        vec![
            (
                "ours",
                Box::new(|| drop(black_box(text_ours(black_box(SESSION_TEXT))))),
            ),
            (
                "json_macro",
                Box::new(|| drop(black_box(text_json(black_box(SESSION_TEXT))))),
            ),
            (
                "serde_mirror_validated",
                Box::new(|| drop(black_box(text_mirror_validated(black_box(SESSION_TEXT))))),
            ),
        ],
    );
    paired(
        "encode/reply_buttons",
        1000,
        vec![
            (
                "ours",
                Box::new(|| {
                    drop(black_box(buttons_ours(
                        black_box(ASK_BODY),
                        black_box(ASK_FOOTER),
                    )))
                }),
            ),
            (
                "json_macro",
                Box::new(|| {
                    drop(black_box(buttons_json(
                        black_box(ASK_BODY),
                        black_box(ASK_FOOTER),
                    )))
                }),
            ),
            (
                "serde_mirror_validated",
                Box::new(|| {
                    drop(black_box(buttons_mirror_validated(
                        black_box(ASK_BODY),
                        black_box(ASK_FOOTER),
                    )))
                }),
            ),
        ],
    );
    paired(
        "encode/button_tap",
        1000,
        vec![
            (
                "ours",
                Box::new(|| {
                    black_box(tap_ours(black_box(&tap)));
                }),
            ),
            (
                "serde_from_slice_owned",
                Box::new(|| {
                    black_box(tap_mirror(black_box(&tap)));
                }),
            ),
            (
                "serde_from_slice_tap_only",
                Box::new(|| {
                    black_box(tap_only(black_box(&tap)));
                }),
            ),
        ],
    );

    let mut g = c.benchmark_group("encode/session_text");
    g.bench_function("ours", |b| b.iter(|| text_ours(black_box(SESSION_TEXT))));
    g.bench_function("json_macro", |b| {
        b.iter(|| text_json(black_box(SESSION_TEXT)))
    });
    g.bench_function("serde_mirror", |b| {
        b.iter(|| serde_json::to_vec(&text_mirror(black_box(SESSION_TEXT))).unwrap_or_default())
    });
    g.bench_function("serde_mirror_validated", |b| {
        b.iter(|| text_mirror_validated(black_box(SESSION_TEXT)))
    });
    g.finish();

    let mut g = c.benchmark_group("encode/reply_buttons");
    g.bench_function("ours", |b| {
        b.iter(|| buttons_ours(black_box(ASK_BODY), black_box(ASK_FOOTER)))
    });
    g.bench_function("json_macro", |b| {
        b.iter(|| buttons_json(black_box(ASK_BODY), black_box(ASK_FOOTER)))
    });
    g.bench_function("serde_mirror", |b| {
        b.iter(|| {
            serde_json::to_vec(&buttons_mirror(black_box(ASK_BODY), black_box(ASK_FOOTER)))
                .unwrap_or_default()
        })
    });
    g.bench_function("serde_mirror_validated", |b| {
        b.iter(|| buttons_mirror_validated(black_box(ASK_BODY), black_box(ASK_FOOTER)))
    });
    g.finish();

    let mut g = c.benchmark_group("encode/button_tap");
    g.bench_function("ours", |b| b.iter(|| tap_ours(black_box(&tap))));
    g.bench_function("serde_from_slice_owned", |b| {
        b.iter(|| tap_mirror(black_box(&tap)))
    });
    g.bench_function("serde_from_slice_tap_only", |b| {
        b.iter(|| tap_only(black_box(&tap)))
    });
    g.finish();
}

// ---------------------------------------------------------------- the benchmarks

fn ours<T: Template>(t: &T) -> Vec<u8> {
    t.to(TO)
        .map(|m| m.extra_info(extra()).into_bytes())
        .unwrap_or_default()
}

fn ours_flow<T: Flow>(t: &T) -> Vec<u8> {
    t.to(TO)
        .map(|m| m.extra_info(extra()).into_bytes())
        .unwrap_or_default()
}

/// The same document three ways must be the same bytes, or the comparison means nothing.
fn same_bytes() {
    let code = Otp::new("J$FpXXXX")
        .map(|o| o.as_str().to_owned())
        .unwrap_or_default();
    let data = Object::new();
    let cases = [
        (
            "authentication",
            ours(&LoginCode { code: &code }),
            auth_json(&code),
            serde_json::to_vec(&auth_mirror(&code)).unwrap_or_default(),
        ),
        (
            "flow template",
            ours(&Survey {
                token: "flow_token",
                first_screen: &data,
            }),
            flow_template_json("flow_token", &data),
            serde_json::to_vec(&flow_template_mirror("flow_token", &data)).unwrap_or_default(),
        ),
        (
            "product template",
            ours(&CartOffer {
                product: "nqrxxx03ez",
                catalog: "194XXXXXXXX3835",
                code: "25OFF",
                discount: "25%",
            }),
            product_json("nqrxxx03ez", "194XXXXXXXX3835", "25OFF", "25%"),
            serde_json::to_vec(&product_mirror(
                "nqrxxx03ez",
                "194XXXXXXXX3835",
                "25OFF",
                "25%",
            ))
            .unwrap_or_default(),
        ),
        (
            "flow message",
            ours_flow(&Booking {
                token: "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                date: "2026-12-01",
                guests: 2,
            }),
            flow_message_json("AQAAAAACS5FpgQ_cAAAAAD0QI3s.", "2026-12-01", 2),
            serde_json::to_vec(&flow_message_mirror(
                "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                "2026-12-01",
                2,
            ))
            .unwrap_or_default(),
        ),
        (
            "general template",
            general_ours(ORDER),
            general_json(ORDER),
            serde_json::to_vec(&general_mirror(ORDER)).unwrap_or_default(),
        ),
    ];
    for (kind, ours, json, mirror) in cases {
        assert!(!ours.is_empty(), "{kind}: ours failed");
        assert_eq!(ours, mirror, "{kind}: ours != serde mirror");
        // json! sorts nothing only with serde_json's preserve_order, which this workspace enables.
        assert_eq!(ours, json, "{kind}: ours != json!");
    }
}

fn encode(c: &mut Criterion) {
    same_bytes();
    let code = String::from("J$FpXXXX");
    let data = Object::new();

    let mut g = c.benchmark_group("encode/authentication");
    g.bench_function("ours", |b| {
        b.iter(|| {
            ours(&LoginCode {
                code: black_box(&code),
            })
        })
    });
    g.bench_function("json_macro", |b| b.iter(|| auth_json(black_box(&code))));
    g.bench_function("serde_mirror", |b| {
        b.iter(|| serde_json::to_vec(&auth_mirror(black_box(&code))).unwrap_or_default())
    });
    let mut buf = Vec::with_capacity(1024);
    g.bench_function("ours_reused_buffer", |b| {
        b.iter(|| {
            buf.clear();
            let _ = LoginCode {
                code: black_box(&code),
            }
            .write_message(TO, Some(&extra()), &mut buf);
            buf.len()
        })
    });
    g.bench_function("serde_mirror_reused_buffer", |b| {
        b.iter(|| {
            buf.clear();
            let _ = serde_json::to_writer(&mut buf, &auth_mirror(black_box(&code)));
            buf.len()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("encode/flow_template");
    g.bench_function("ours", |b| {
        b.iter(|| {
            ours(&Survey {
                token: black_box("flow_token"),
                first_screen: black_box(&data),
            })
        })
    });
    g.bench_function("json_macro", |b| {
        b.iter(|| flow_template_json(black_box("flow_token"), black_box(&data)))
    });
    g.bench_function("serde_mirror", |b| {
        b.iter(|| {
            serde_json::to_vec(&flow_template_mirror(
                black_box("flow_token"),
                black_box(&data),
            ))
            .unwrap_or_default()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("encode/product_template");
    let (p, cat, code2, disc) = ("nqrxxx03ez", "194XXXXXXXX3835", "25OFF", "25%");
    g.bench_function("ours", |b| {
        b.iter(|| {
            ours(&CartOffer {
                product: black_box(p),
                catalog: black_box(cat),
                code: black_box(code2),
                discount: black_box(disc),
            })
        })
    });
    g.bench_function("json_macro", |b| {
        b.iter(|| {
            product_json(
                black_box(p),
                black_box(cat),
                black_box(code2),
                black_box(disc),
            )
        })
    });
    g.bench_function("serde_mirror", |b| {
        b.iter(|| {
            serde_json::to_vec(&product_mirror(
                black_box(p),
                black_box(cat),
                black_box(code2),
                black_box(disc),
            ))
            .unwrap_or_default()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("encode/flow_message");
    let (token, date) = ("AQAAAAACS5FpgQ_cAAAAAD0QI3s.", "2026-12-01");
    g.bench_function("ours", |b| {
        b.iter(|| {
            ours_flow(&Booking {
                token: black_box(token),
                date: black_box(date),
                guests: black_box(2),
            })
        })
    });
    g.bench_function("json_macro", |b| {
        b.iter(|| flow_message_json(black_box(token), black_box(date), black_box(2)))
    });
    g.bench_function("serde_mirror", |b| {
        b.iter(|| {
            serde_json::to_vec(&flow_message_mirror(
                black_box(token),
                black_box(date),
                black_box(2),
            ))
            .unwrap_or_default()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("encode/general_template");
    g.bench_function("ours", |b| b.iter(|| general_ours(black_box(ORDER))));
    g.bench_function("json_macro", |b| b.iter(|| general_json(black_box(ORDER))));
    g.bench_function("serde_mirror", |b| {
        b.iter(|| serde_json::to_vec(&general_mirror(black_box(ORDER))).unwrap_or_default())
    });
    g.finish();
}

criterion_group!(benches, encode, session);
criterion_main!(benches);
