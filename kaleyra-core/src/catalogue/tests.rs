//! The check on messages built with the runtime builders, one mismatch class at a time.

use super::*;
use crate::model::{
    AuthenticationTemplate, CarouselCard, FlowTemplate, ProductTemplate, StandardTemplate,
};
use crate::{Currency, DateTime, Flow, Location, Media, Otp, Template};

const CATALOGUE: &str = r#"[
  {"name": "auth1", "language": "en_US", "status": "APPROVED", "category": "AUTHENTICATION",
   "components": [
     {"type": "BODY", "text": "*{{1}}* is your verification code."},
     {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}]},
  {"name": "auth_url", "language": "en_US", "status": "APPROVED", "category": "AUTHENTICATION",
   "components": [
     {"type": "BODY", "text": "{{1}} is your code."},
     {"type": "BUTTONS", "buttons": [
       {"type": "QUICK_REPLY", "text": "Not me"},
       {"type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]}]},
  {"name": "order_update", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
   "components": [
     {"type": "HEADER", "format": "IMAGE"},
     {"type": "BODY", "text": "Hi {{1}}, your order {{2}} ships on {{3}}"},
     {"type": "BUTTONS", "buttons": [
       {"type": "URL", "text": "Track", "url": "https://example.com/track/{{1}}"},
       {"type": "QUICK_REPLY", "text": "Stop"},
       {"type": "URL", "text": "Help", "url": "https://example.com/help"}]}]},
  {"name": "order_update", "language": "pt_BR", "status": "PAUSED", "category": "UTILITY",
   "components": [{"type": "BODY", "text": "Oi {{1}}"}]},
  {"name": "welcome_named", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
   "parameter_format": "NAMED",
   "components": [
     {"type": "HEADER", "format": "TEXT", "text": "Welcome"},
     {"type": "BODY", "text": "Hi {{first_name}}, use {{code}}"},
     {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Soon over", "has_expiration": true}},
     {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE"}]}]},
  {"name": "summer_carousel", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
   "components": [
     {"type": "BODY", "text": "Hello {{1}}"},
     {"type": "CAROUSEL", "cards": [
       {"components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "{{1}}"},
                       {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy"}]}]},
       {"components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "{{1}}"},
                       {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy"}]}]}]}]},
  {"name": "flow_template20", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
   "components": [{"type": "BODY", "text": "Tell us"},
     {"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Open", "flow_id": "1"}]}]},
  {"name": "abandoned_cart_offer", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
   "components": [{"type": "HEADER", "format": "PRODUCT"}, {"type": "BODY", "text": "{{1}} {{2}}"}]}
]"#;

fn catalogue() -> Catalogue {
    Catalogue::from_json_str(CATALOGUE, "kaleyra-templates.json").unwrap()
}

fn mismatches(message: &Message) -> Vec<(Part, u32, String)> {
    match catalogue().check(message) {
        Ok(()) => Vec::new(),
        Err(m) => m
            .iter()
            .map(|m| (m.part().clone(), m.code(), m.to_string()))
            .collect(),
    }
}

fn order() -> StandardTemplate {
    StandardTemplate::new("order_update", "en_US")
        .header(Media::image_link("https://example.com/a.png").unwrap())
        .body("Ada")
        .body(Currency::new("USD", 1000, "$1").unwrap())
        .body(DateTime::new("Monday").unwrap())
        .url_button(0, "42")
        .quick_reply_button(1, "stop")
}

const TO: &str = "+15550001234";

#[test]
fn matching_messages_pass() {
    let otp = Otp::new("123456").unwrap();
    for message in [
        AuthenticationTemplate::new("auth1", "en_US", otp).to(TO),
        AuthenticationTemplate::new("auth_url", "en_US", otp)
            .button_index(1)
            .to(TO),
        order().to(TO),
        FlowTemplate::new("flow_template20", "en_US").to(TO),
        ProductTemplate::new("abandoned_cart_offer", "en_US", "p", "c")
            .body_parameter("a")
            .body_parameter("b")
            .to(TO),
        StandardTemplate::new("welcome_named", "en_US")
            .named_body("first_name", "Ada")
            .named_body("code", "X1")
            .limited_time_offer(1_900_000_000_000)
            .copy_code_button(0, "SAVE25")
            .to(TO),
    ] {
        let message = message.unwrap();
        assert_eq!(mismatches(&message), vec![], "{message:?}");
    }
    // A message that is not a template has nothing to check.
    let flow = crate::model::FlowMessage::with_id("1", "Go", "Body")
        .to(TO)
        .unwrap();
    assert!(catalogue().check(&flow).is_ok());
}

#[test]
fn unknown_name_and_language() {
    let m = StandardTemplate::new("order_updat", "en_US")
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Template,
            132_001,
            "template `order_updat` (en_US) is not in kaleyra-templates.json (8 templates); did \
             you mean `order_update`?"
                .to_owned()
        )]
    );
    let m = StandardTemplate::new("order_update", "en_GB")
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Language,
            132_001,
            "template `order_update` has no en_GB version in kaleyra-templates.json: it has \
             en_US, pt_BR"
                .to_owned()
        )]
    );
}

#[test]
fn status_is_reported_with_its_meaning() {
    let m = StandardTemplate::new("order_update", "pt_BR")
        .body("x")
        .to(TO)
        .unwrap();
    let found = mismatches(&m);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.clone(), found[0].1), (Part::Status, 132_015));
    assert!(
        found[0].2.starts_with(
            "template `order_update` (pt_BR) is PAUSED, not APPROVED: WhatsApp paused it"
        ),
        "{}",
        found[0].2
    );
}

#[test]
fn body_count_quotes_the_approved_text() {
    let m = StandardTemplate::new("order_update", "en_US")
        .header(Media::image_id("1").unwrap())
        .body("Ada")
        .body("42")
        .url_button(0, "42")
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Body,
            132_000,
            "template `order_update` (en_US) has 3 body parameters (\"Hi {{1}}, your order {{2}} \
             ships on {{3}}\"); this message has 2"
                .to_owned()
        )]
    );
}

#[test]
fn header_kinds() {
    let located = order()
        .header(Location::new(1.0, 2.0).unwrap())
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&located),
        vec![(
            Part::Header,
            132_012,
            "template `order_update` (en_US) has an IMAGE header; this message has a location header"
                .to_owned()
        )]
    );
    let video = order()
        .header(Media::video_link("https://example.com/v.mp4").unwrap())
        .to(TO)
        .unwrap();
    assert_eq!(mismatches(&video)[0].1, 132_012);
    // A fixed text header takes no parameter.
    let m = StandardTemplate::new("welcome_named", "en_US")
        .named_header("greeting", "Hi")
        .named_body("first_name", "Ada")
        .named_body("code", "X1")
        .limited_time_offer(1)
        .copy_code_button(0, "SAVE25")
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Header,
            132_000,
            "template `welcome_named` (en_US) has a TEXT header (\"Welcome\") with no parameter; \
             this message has a text header parameter {{greeting}}"
                .to_owned()
        )]
    );
}

#[test]
fn named_parameters() {
    let m = StandardTemplate::new("welcome_named", "en_US")
        .named_body("first_nam", "Ada")
        .limited_time_offer(1)
        .copy_code_button(0, "SAVE25")
        .to(TO)
        .unwrap();
    let found = mismatches(&m);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, Part::BodyName("first_nam".into()));
    assert!(
        found[0]
            .2
            .ends_with("this message has {{first_nam}}, did you mean {{first_name}}?"),
        "{}",
        found[0].2
    );
    // The misspelt name is reported once: {{first_name}} is not listed as missing too.
    assert_eq!(found[1].0, Part::Body);
    assert!(
        found[1].2.contains("has the body parameter {{code}} ("),
        "{}",
        found[1].2
    );

    let positional = StandardTemplate::new("welcome_named", "en_US")
        .body("Ada")
        .limited_time_offer(1)
        .copy_code_button(0, "SAVE25")
        .to(TO)
        .unwrap();
    assert_eq!(mismatches(&positional)[0].0, Part::BodyParameter(0));
    assert_eq!(mismatches(&positional)[0].1, 132_012);
}

#[test]
fn limited_time_offer_and_required_buttons() {
    let m = StandardTemplate::new("welcome_named", "en_US")
        .named_body("first_name", "Ada")
        .named_body("code", "X1")
        .to(TO)
        .unwrap();
    let parts: Vec<Part> = mismatches(&m).into_iter().map(|m| m.0).collect();
    assert_eq!(parts, vec![Part::LimitedTimeOffer, Part::Button(0)]);
}

#[test]
fn buttons_by_index_and_sub_type() {
    let m = order().quick_reply_button(2, "x").to(TO).unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Button(2),
            132_000,
            "button 2 of template `order_update` (en_US) is a static URL button (\"Help\", \
             https://example.com/help); it takes no parameter, but this message has a \
             `quick_reply` button"
                .to_owned()
        )]
    );
    let swapped = StandardTemplate::new("order_update", "en_US")
        .header(Media::image_id("1").unwrap())
        .body("a")
        .body("b")
        .body("c")
        .quick_reply_button(0, "x")
        .url_button(1, "y")
        .to(TO)
        .unwrap();
    let found = mismatches(&swapped);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0].2,
        "button 0 of template `order_update` (en_US) is a dynamic URL button (\"Track\", \
         https://example.com/track/{{1}}); this message has a `quick_reply` button (the \
         template's button 1 is one)"
    );
    // Issue 20: a quick reply at the URL button's index, the template's quick reply given
    // already: no index to suggest, and the URL button is missing.
    let twice = StandardTemplate::new("order_update", "en_US")
        .header(Media::image_id("1").unwrap())
        .body("a")
        .body("b")
        .body("c")
        .quick_reply_button(0, "x")
        .quick_reply_button(1, "y")
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&twice),
        vec![(
            Part::Button(0),
            132_012,
            "button 0 of template `order_update` (en_US) is a dynamic URL button (\"Track\", \
             https://example.com/track/{{1}}); this message has a `quick_reply` button, which the \
             template has at index 1, given already; the URL button at index 0 is then missing"
                .to_owned()
        )]
    );
    let beyond = order().url_button(5, "x").to(TO).unwrap();
    assert_eq!(
        mismatches(&beyond)[0].2,
        "template `order_update` (en_US) has 3 buttons (0: URL, 1: QUICK_REPLY, 2: URL); there \
         is no button at index 5; this message has a `url` button at index 5"
    );
}

#[test]
fn category_fits_the_kind() {
    let otp = Otp::new("123456").unwrap();
    let m = AuthenticationTemplate::new("flow_template20", "en_US", otp)
        .to(TO)
        .unwrap();
    let found = mismatches(&m);
    // The wrong kind, and nothing it implies (its body and button would only repeat it).
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Part::Category);
    let m = FlowTemplate::new("auth1", "en_US")
        .body_parameter("1")
        .to(TO)
        .unwrap();
    assert_eq!(mismatches(&m)[0].0, Part::Category);
    // The OTP button's index.
    let m = AuthenticationTemplate::new("auth_url", "en_US", Otp::new("1").unwrap())
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&m),
        vec![(
            Part::Button(0),
            132_012,
            "button 0 of template `auth_url` (en_US) is a QUICK_REPLY button (\"Not me\"); this \
             message has the OTP button (the template's button 1 is one)"
                .to_owned()
        )]
    );
}

#[test]
fn carousel_count_and_cards() {
    let card = || {
        CarouselCard::new()
            .header(Media::image_id("1").unwrap())
            .body("x")
            .quick_reply_button(0, "buy")
    };
    let ok = StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .card(card())
        .card(card())
        .to(TO)
        .unwrap();
    assert_eq!(mismatches(&ok), vec![]);
    let three = StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .card(card())
        .card(card())
        .card(card().body("y"))
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&three),
        vec![(
            Part::Carousel,
            132_012,
            "template `summer_carousel` (en_US) has a carousel of 2 cards; this message has 3"
                .to_owned()
        )]
    );
    let video = StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .card(card())
        .card(
            CarouselCard::new()
                .header(Media::video_id("1").unwrap())
                .body("x"),
        )
        .to(TO)
        .unwrap();
    assert_eq!(
        mismatches(&video),
        vec![(
            Part::Card {
                card: 1,
                part: Box::new(Part::Header)
            },
            132_012,
            "card 1 of template `summer_carousel` (en_US) has an IMAGE header; this message's \
             card 1 has a video header"
                .to_owned()
        )]
    );
    let none = StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .to(TO)
        .unwrap();
    assert_eq!(mismatches(&none)[0].0, Part::Carousel);
}

#[test]
fn the_first_mismatch_is_the_one_whatsapp_answers() {
    let m = StandardTemplate::new("order_update", "pt_BR")
        .body("a")
        .body("b")
        .to(TO)
        .unwrap();
    let all = catalogue().check(&m).unwrap_err();
    assert_eq!(all.len(), 2);
    assert_eq!(all.first().map(Mismatch::code), Some(132_015));
}

#[test]
fn pretty_json_is_sorted_and_round_trips() {
    let c = catalogue();
    let text = c.to_json_pretty();
    let again = Catalogue::from_json_str(&text, "x").unwrap();
    let names: Vec<(&str, &str)> = again.iter().map(|t| (t.name(), t.language())).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert_eq!(again.len(), c.len());
    assert!(text.ends_with("]\n"));
}

#[test]
fn a_carousel_of_unknown_cards_is_checked_for_its_count_only() {
    let c = catalogue();
    let mut d = Declared::new(
        "summer_carousel",
        "en_US",
        DeclaredKind::Standard,
        Subject::Struct,
    );
    d.body = DeclaredBody::Positional(1);
    d.carousel = Some(DeclaredCarousel::count_only(Some(2)));
    assert_eq!(c.check_declared(&d), Ok(()));
    d.carousel = Some(DeclaredCarousel::count_only(None));
    assert_eq!(c.check_declared(&d), Ok(()));
    d.carousel = Some(DeclaredCarousel::count_only(Some(3)));
    let found = c.check_declared(&d).unwrap_err();
    assert_eq!(
        found.to_string(),
        "template `summer_carousel` (en_US) has a carousel of 2 cards; this struct declares 3"
    );
    // One shape for every card: each problem once.
    let mut card = DeclaredCard::new();
    card.header = Some(DeclaredHeader::Media(None));
    card.body = 2;
    card.buttons = vec![(0, DeclaredButton::Kind(crate::ButtonKind::QuickReply))];
    d.carousel = Some(DeclaredCarousel::shared(Some(2), card));
    let found = c.check_declared(&d).unwrap_err();
    assert_eq!(found.len(), 1, "{found}");
    assert_eq!(
        found.iter().next().map(Mismatch::part),
        Some(&Part::Card {
            card: 0,
            part: Box::new(Part::BodyParameter(1))
        })
    );
}

#[test]
fn header_parameter_names_agree() {
    let c = Catalogue::from_json_str(
        r#"[
          {"name": "welcome_back", "language": "en_US", "status": "APPROVED",
           "category": "MARKETING", "parameter_format": "NAMED",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Welcome back, {{first_name}}!"}]},
          {"name": "order_text", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"}]}
        ]"#,
        "kaleyra-templates.json",
    )
    .unwrap();
    let header = |name: &str, header: DeclaredHeader| {
        let mut d = Declared::new(name, "en_US", DeclaredKind::Standard, Subject::Struct);
        d.header = Some(header);
        c.check_declared(&d).map_err(|m| m.to_string())
    };
    let named = |n: &str| DeclaredHeader::Text(Some(n.to_owned()));
    assert_eq!(header("welcome_back", named("first_name")), Ok(()));
    assert_eq!(header("order_text", DeclaredHeader::Text(None)), Ok(()));
    // A positional parameter for a named one (sent without `parameter_name`), and the reverse.
    assert_eq!(
        header("welcome_back", DeclaredHeader::Text(None)),
        Err("template `welcome_back` (en_US) has a TEXT header (\"Welcome back, {{first_name}}!\"); \
             this struct declares a text header parameter: write #[template(header = \"first_name\")]"
            .to_owned())
    );
    assert_eq!(
        header("welcome_back", named("name")),
        Err("template `welcome_back` (en_US) has a TEXT header (\"Welcome back, {{first_name}}!\"); \
             this struct declares a text header parameter {{name}}: write \
             #[template(header = \"first_name\")]"
            .to_owned())
    );
    assert_eq!(
        header("order_text", named("order")),
        Err(
            "template `order_text` (en_US) has a TEXT header (\"Order {{1}}\"); this struct \
             declares a text header parameter {{order}}: the parameter is positional, write \
             #[template(header)]"
                .to_owned()
        )
    );
    // A built message has no hint (its builder calls are the caller's).
    let m = StandardTemplate::new("welcome_back", "en_US")
        .header("Ada")
        .to(TO)
        .unwrap();
    assert_eq!(
        c.check(&m).map_err(|m| m.to_string()),
        Err("template `welcome_back` (en_US) has a TEXT header (\"Welcome back, {{first_name}}!\"); \
             this message has a text header parameter"
            .to_owned())
    );
}
