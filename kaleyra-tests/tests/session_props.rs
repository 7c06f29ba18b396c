//! Property tests of the non-interactive session messages and the requests (issue 15): any
//! valid text, media, location, reaction, location request, address request or contacts
//! message encodes to JSON that reads back to the same values, and its bytes (the layout walked
//! straight into the buffer) equal `serde_json::to_vec(&message.to_json())`. The interactive
//! messages have theirs in `interactive_props.rs`.

use kaleyra::prelude::*;
use kaleyra::session::{
    AddressField, AddressRequest, ContactCard, Contacts, LocationMessage, LocationRequest,
    MediaMessage, Reaction, Text,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Value, json};

const TO: &str = "+919876543210";
const WAMID: &str = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgU";

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7365_7373_696f_6e21),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// 1-`max` characters that stress a JSON writer: quotes, backslashes, controls, separators,
/// non-ASCII.
fn text(max: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\n'),
            Just('\u{1f}'),
            Just('\u{2028}'),
            Just('é'),
            Just('😀'),
            Just('a'),
            any::<char>()
        ],
        1..=max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Printable text without surrounding or control characters (names, address values).
fn plain(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9][A-Za-z0-9 ,.'é-]{{0,{}}}", max - 1))
        .expect("a valid pattern")
        .prop_map(|s| s.trim_end().to_owned())
}

/// The message object, after checking that the fast path writes what serde_json writes.
fn object(message: &Message) -> Value {
    let json = message.to_json();
    assert_eq!(
        message.as_bytes(),
        serde_json::to_vec(&json).expect("JSON").as_slice(),
        "the fast path writes exactly what serde_json writes"
    );
    let object = json["messaging_object"].clone();
    assert_eq!(object["to"], TO);
    assert_eq!(object["messaging_product"], "whatsapp");
    object
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn texts_read_back(body in text(300), preview in any::<bool>()) {
        let text = Text::new(body.as_str()).unwrap().preview_url(preview);
        let message = text.to(TO).unwrap();
        let o = object(&message);
        prop_assert_eq!(&o["type"], "text");
        prop_assert_eq!(&o["text"], &json!({"preview_url": preview, "body": body}));
        prop_assert!(o.get("context").is_none());
    }

    #[test]
    fn media_read_back(
        path in "[a-z0-9]{1,20}",
        caption in proptest::option::of(text(200)),
        filename in proptest::option::of("[A-Za-z0-9_-]{1,30}\\.pdf"),
        kind in 0..3usize,
    ) {
        let link = format!("https://example.com/{path}");
        let (media, name) = match kind {
            0 => (Media::image_link(&link).unwrap(), "image"),
            1 => (Media::video_link(&link).unwrap(), "video"),
            _ => {
                let mut doc = Media::document_link(&link).unwrap();
                if let Some(f) = &filename {
                    doc = doc.filename(f.as_str()).unwrap();
                }
                (doc, "document")
            }
        };
        let mut message = MediaMessage::new(media);
        if let Some(c) = &caption {
            message = message.caption(c.as_str()).unwrap();
        }
        let o = object(&message.to(TO).unwrap());
        prop_assert_eq!(&o["type"], name);
        let m = &o[name];
        prop_assert_eq!(&m["link"], &json!(link));
        prop_assert_eq!(m.get("caption").cloned(), caption.map(Value::from));
        let written_name = m.get("filename").cloned();
        let expected_name = filename.filter(|_| kind == 2).map(Value::from);
        prop_assert_eq!(written_name, expected_name);
    }

    #[test]
    fn locations_read_back(
        latitude in -90.0f64..=90.0,
        longitude in -180.0f64..=180.0,
        name in proptest::option::of(text(60)),
        address in proptest::option::of(text(100)),
    ) {
        let mut place = Location::new(latitude, longitude).unwrap();
        if let Some(n) = &name {
            place = place.name(n.as_str());
        }
        if let Some(a) = &address {
            place = place.address(a.as_str());
        }
        let o = object(&LocationMessage::new(place).to(TO).unwrap());
        prop_assert_eq!(&o["type"], "location");
        let l = &o["location"];
        prop_assert_eq!(l["latitude"].as_f64(), Some(latitude));
        prop_assert_eq!(l["longitude"].as_f64(), Some(longitude));
        prop_assert_eq!(l.get("name").cloned(), name.map(Value::from));
        prop_assert_eq!(l.get("address").cloned(), address.map(Value::from));
    }

    #[test]
    fn reactions_read_back(emoji in prop::sample::select(vec!["👍", "❤️", "😂", "🙏", "🎉", "👍🏽"]), remove in any::<bool>()) {
        let reaction = if remove {
            Reaction::remove(WAMID).unwrap()
        } else {
            Reaction::new(WAMID, emoji).unwrap()
        };
        let o = object(&reaction.to(TO).unwrap());
        prop_assert_eq!(&o["type"], "reaction");
        let expected = if remove { "" } else { emoji };
        prop_assert_eq!(&o["reaction"], &json!({"message_id": WAMID, "emoji": expected}));
    }

    #[test]
    fn location_requests_read_back(body in text(500)) {
        let o = object(&LocationRequest::new(body.as_str()).unwrap().to(TO).unwrap());
        prop_assert_eq!(&o["type"], "interactive");
        prop_assert_eq!(
            &o["interactive"],
            &json!({
                "type": "location_request_message",
                "body": {"text": body},
                "action": {"name": "send_location"}
            })
        );
    }

    #[test]
    fn address_requests_read_back(body in text(300), city in plain(40), pin in "[1-9][0-9]{5}") {
        let request = AddressRequest::new(body.as_str())
            .unwrap()
            .value(AddressField::City, city.as_str())
            .unwrap()
            .value(AddressField::InPinCode, pin.as_str())
            .unwrap();
        let o = object(&request.to(TO).unwrap());
        let i = &o["interactive"];
        prop_assert_eq!(&i["type"], "address_message");
        prop_assert_eq!(&i["body"]["text"], &json!(body));
        let parameters = &i["action"]["parameters"];
        prop_assert_eq!(&parameters["country"], "IN");
        prop_assert_eq!(&parameters["values"]["city"], &json!(city));
        prop_assert_eq!(&parameters["values"]["in_pin_code"], &json!(pin));
    }

    #[test]
    fn contacts_read_back(
        cards in vec((plain(40), plain(20), proptest::option::of("\\+91 [6-9][0-9]{9}")), 1..=5),
    ) {
        let built: Vec<ContactCard> = cards
            .iter()
            .map(|(formatted, first, phone)| {
                let card = ContactCard::new(formatted.as_str()).first_name(first.as_str());
                match phone {
                    Some(p) => card.phone(p.as_str()).unwrap(),
                    None => card,
                }
            })
            .collect();
        let o = object(&Contacts::new(built).unwrap().to(TO).unwrap());
        prop_assert_eq!(&o["type"], "contacts");
        let written = o["contacts"].as_array().unwrap();
        prop_assert_eq!(written.len(), cards.len());
        for (card, (formatted, first, phone)) in written.iter().zip(&cards) {
            prop_assert_eq!(&card["name"]["formatted_name"], &json!(formatted));
            prop_assert_eq!(&card["name"]["first_name"], &json!(first));
            match phone {
                Some(p) => prop_assert_eq!(&card["phones"][0]["phone"], &json!(p)),
                None => prop_assert!(card.get("phones").is_none()),
            }
        }
    }
}
