//! `Catalogue::check` at run time agrees with the derive at compile time on every trybuild case
//! of `tests/ui/catalogue/`: the message the runtime builders make for the same template finds
//! the same mismatches (as many, each with the same account of the approved template) that the
//! case's accepted `.stderr` shows, and the cases that compile pass the check. The catalogue
//! file's errors are the same too. Only `unchecked` and `KALEYRA_TEMPLATES=off` have no runtime
//! counterpart: at run time, not calling `check` is the opt-out.

use std::collections::BTreeSet;
use std::path::Path;

use kaleyra::catalogue::Part;
use kaleyra::model::{
    AuthenticationTemplate, CarouselCard, FlowTemplate, ProductTemplate, StandardTemplate,
};
use kaleyra::{Catalogue, Currency, DateTime, Error, Location, Media, Message, Otp, Template};

const TO: &str = "+15550001234";

/// The fixture as the derive names it: as written in `KALEYRA_TEMPLATES` (tests/ui.rs sets an
/// absolute path), which trybuild shows with `$DIR` for this package's directory.
const SHOWN: &str = "$DIR/tests/ui/catalogue/templates.json";

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/catalogue"))
}

fn otp(name: &str, lang: &str) -> Result<Message, Error> {
    AuthenticationTemplate::new(name, lang, Otp::new("123456")?).to(TO)
}

fn flow(name: &str) -> FlowTemplate {
    FlowTemplate::new(name, "en_US")
}

fn general(name: &str) -> StandardTemplate {
    StandardTemplate::new(name, "en_US")
}

fn image() -> Result<Media, Error> {
    Media::image_link("https://example.com/a.jpg")
}

/// `order_shipped` as approved but for its header (its three body parameters and URL suffix).
fn shipped_body(template: StandardTemplate, parameters: &[&str]) -> StandardTemplate {
    parameters
        .iter()
        .fold(template, |t, p| t.body(*p))
        .url_button(0, "A-1042")
}

/// A card of `summer_carousel`: an image, a price, a quick reply and a URL suffix.
fn pick(slug: &str) -> Result<CarouselCard, Error> {
    Ok(CarouselCard::new()
        .header(image()?)
        .body(Currency::new("USD", 25_000, "$25")?)
        .quick_reply_button(0, "buy")
        .url_button(1, slug))
}

/// Each compile-fail case, and the message the runtime builders make for the same declaration.
fn cases() -> Result<Vec<(&'static str, Message)>, Error> {
    Ok(vec![
        ("catalogue_template_unknown", otp("login_cod", "en_US")?),
        (
            "catalogue_template_not_approved_yet",
            otp("newsletter", "en_US")?,
        ),
        ("catalogue_language_not_approved", otp("login_code", "de")?),
        ("catalogue_template_paused", flow("promo_paused").to(TO)?),
        (
            "catalogue_template_disabled",
            flow("promo_disabled").to(TO)?,
        ),
        (
            "catalogue_template_rejected",
            flow("promo_rejected").to(TO)?,
        ),
        ("catalogue_template_pending", flow("promo_pending").to(TO)?),
        (
            "catalogue_otp_on_marketing_template",
            otp("coupon_link", "en_US")?,
        ),
        (
            "catalogue_flow_on_authentication_template",
            flow("login_code").to(TO)?,
        ),
        (
            "catalogue_otp_button_index_wrong",
            otp("login_url", "en_US")?,
        ),
        (
            "catalogue_flow_button_index_wrong",
            flow("survey_link").button_index(1).to(TO)?,
        ),
        (
            "catalogue_button_index_beyond_template",
            flow("survey")
                .button_index(3)
                .body_parameter("Ada")
                .to(TO)?,
        ),
        (
            "catalogue_flow_body_parameter_extra",
            flow("survey")
                .body_parameter("Ada")
                .body_parameter("A-1042")
                .to(TO)?,
        ),
        (
            "catalogue_flow_body_parameter_missing",
            flow("survey").flow_token("t").to(TO)?,
        ),
        (
            "catalogue_product_body_parameter_missing",
            ProductTemplate::new("cart_offer", "en_US", "p1", "194")
                .body_parameter("25OFF")
                .to(TO)?,
        ),
        (
            "catalogue_product_on_image_header",
            ProductTemplate::new("photo_offer", "en_US", "p1", "194")
                .body_parameter("2 for 1")
                .to(TO)?,
        ),
        ("catalogue_url_suffix_missing", flow("survey_link").to(TO)?),
        // General templates.
        (
            "catalogue_header_text_for_image",
            shipped_body(
                general("order_shipped").header("Your parcel"),
                &["Ada", "A-1042", "Tuesday"],
            )
            .to(TO)?,
        ),
        (
            "catalogue_header_location_for_document",
            general("invoice_ready")
                .header(Location::new(52.52, 13.405)?)
                .body("INV-42")
                .to(TO)?,
        ),
        (
            "catalogue_header_parameter_missing",
            general("order_update").body("Tuesday").to(TO)?,
        ),
        (
            "catalogue_header_parameter_for_fixed_text",
            general("store_hours")
                .header("Opening hours")
                .body("9am to 8pm")
                .to(TO)?,
        ),
        (
            "catalogue_header_not_named",
            general("welcome_back").header("Ada").to(TO)?,
        ),
        (
            "catalogue_body_parameter_too_many",
            shipped_body(
                general("order_shipped").header(image()?),
                &["Ada", "A-1042", "Tuesday", "UPS"],
            )
            .to(TO)?,
        ),
        (
            "catalogue_body_parameter_too_few",
            shipped_body(
                general("order_shipped").header(image()?),
                &["Ada", "A-1042"],
            )
            .to(TO)?,
        ),
        (
            "catalogue_body_name_unknown",
            general("loyalty_points")
                .named_body("frist_name", "Ada")
                .named_body("points", "1200")
                .named_body("expiry_date", "31 March")
                .to(TO)?,
        ),
        (
            "catalogue_body_name_missing",
            general("loyalty_points")
                .named_body("first_name", "Ada")
                .named_body("points", "1200")
                .to(TO)?,
        ),
        (
            "catalogue_body_positional_for_named",
            general("loyalty_points")
                .body("Ada")
                .body("1200")
                .body("31 March")
                .to(TO)?,
        ),
        (
            "catalogue_body_named_for_positional",
            general("store_hours")
                .named_body("hours", "9am to 8pm")
                .to(TO)?,
        ),
        (
            "catalogue_button_url_suffix_missing",
            general("order_shipped")
                .header(image()?)
                .body("Ada")
                .body("A-1042")
                .body("Tuesday")
                .to(TO)?,
        ),
        (
            "catalogue_button_url_suffix_for_static_url",
            general("order_update")
                .header("A-1042")
                .body("Tuesday")
                .url_button(0, "faq")
                .to(TO)?,
        ),
        (
            "catalogue_button_quick_reply_at_copy_code",
            general("coupon_code")
                .body("SAVE20")
                .quick_reply_button(0, "stop")
                .to(TO)?,
        ),
        (
            "catalogue_button_quick_reply_at_url_index",
            general("order_shipped")
                .header(image()?)
                .body("Ada")
                .body("A-1042")
                .body("Tuesday")
                .quick_reply_button(0, "stop")
                .quick_reply_button(1, "stop")
                .to(TO)?,
        ),
        (
            "catalogue_button_copy_code_missing",
            general("coupon_code").body("SAVE20").to(TO)?,
        ),
        (
            "catalogue_limited_time_offer_not_in_template",
            general("order_thanks")
                .body("Ada")
                .limited_time_offer(1_767_225_600_000)
                .to(TO)?,
        ),
        (
            "catalogue_limited_time_offer_missing",
            general("flash_sale")
                .header(image()?)
                .body("Pablo")
                .body("CARIBE25")
                .copy_code_button(0, "CARIBE25")
                .url_button(1, "n3mtql")
                .to(TO)?,
        ),
        (
            "catalogue_carousel_card_count",
            general("summer_carousel")
                .body("Ada")
                .card(pick("sandals")?)
                .card(pick("hats")?)
                .to(TO)?,
        ),
        (
            "catalogue_card_body_parameter_count",
            ["sandals", "hats", "towels"]
                .iter()
                .try_fold(general("summer_carousel").body("Ada"), |t, slug| {
                    Ok::<_, Error>(t.card(pick(slug)?.body("12 left")))
                })?
                .to(TO)?,
        ),
        (
            "catalogue_card_url_button_missing",
            ["sandals", "hats", "towels"]
                .iter()
                .try_fold(general("summer_carousel").body("Ada"), |t, _| {
                    Ok::<_, Error>(
                        t.card(
                            CarouselCard::new()
                                .header(image()?)
                                .body("$25")
                                .quick_reply_button(0, "buy"),
                        ),
                    )
                })?
                .to(TO)?,
        ),
        (
            "catalogue_card_buttons_swapped",
            ["sandals", "hats", "towels"]
                .iter()
                .try_fold(general("summer_carousel").body("Ada"), |t, slug| {
                    Ok::<_, Error>(
                        t.card(
                            CarouselCard::new()
                                .header(image()?)
                                .body("$25")
                                .url_button(0, *slug)
                                .quick_reply_button(1, "buy"),
                        ),
                    )
                })?
                .to(TO)?,
        ),
        (
            "catalogue_carousel_not_in_template",
            general("order_thanks")
                .body("Ada")
                .card(CarouselCard::new().header(image()?).body("$25"))
                .to(TO)?,
        ),
    ])
}

fn catalogue() -> Result<Catalogue, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(dir().join("templates.json"))?;
    Ok(Catalogue::from_json_str(&text, SHOWN)?)
}

#[test]
fn every_compile_fail_case_fails_the_same_way_at_run_time() -> Result<(), Box<dyn std::error::Error>>
{
    let catalogue = catalogue()?;
    let cases = cases()?;
    // Every case of the directory is here (a new case needs its runtime twin).
    let listed: BTreeSet<String> = std::fs::read_dir(dir())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let covered: BTreeSet<String> = cases.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(listed, covered);

    for (case, message) in &cases {
        let stderr = std::fs::read_to_string(dir().join(format!("{case}.stderr")))?;
        let mismatches = match catalogue.check(message) {
            Err(m) => m,
            Ok(()) => panic!("{case}: the runtime check passes"),
        };
        // A derived card type is one shape for every card: the derive says each problem once,
        // with the first card's words, and stops at the first part that does not fit.
        let mut card_parts = Vec::new();
        let mismatches: Vec<_> = mismatches
            .iter()
            .filter(|m| match m.part() {
                Part::Card { part, .. } if card_parts.is_empty() => {
                    card_parts.push(part.clone());
                    true
                }
                Part::Card { .. } => false,
                _ => true,
            })
            .collect();
        assert_eq!(
            // `error: …` from the derive, `error[E0080]: …` from a card shape's `const`.
            stderr
                .lines()
                .filter(|l| l.starts_with("error: ") || l.starts_with("error[E0080]: "))
                .count(),
            mismatches.len(),
            "{case}: {mismatches:?}\n{stderr}"
        );
        for m in &mismatches {
            assert!(
                stderr.contains(m.approved()),
                "{case}: the derive does not say {:?}\n{stderr}",
                m.approved()
            );
        }
    }
    Ok(())
}

#[test]
fn the_compiling_cases_pass_at_run_time() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = catalogue()?;
    // tests/ui/catalogue/pass/matching_templates.rs
    let messages = [
        otp("login_code", "en_US")?,
        otp("login_code", "pt_BR")?,
        AuthenticationTemplate::new("login_url", "en_US", Otp::new("111111")?)
            .button_index(1)
            .to(TO)?,
        flow("survey")
            .body_parameter("Ada")
            .flow_token("t")
            .to(TO)?,
        ProductTemplate::new("cart_offer", "en_US", "p1", "194")
            .body_parameter("25OFF")
            .body_parameter("25%")
            .to(TO)?,
        // tests/ui/catalogue/pass/matching_general_templates.rs
        general("order_shipped")
            .header(image()?)
            .body("Ada")
            .body("A-1042")
            .body(DateTime::new("Tuesday")?)
            .url_button(0, "A-1042")
            .to(TO)?,
        general("invoice_ready")
            .header(Media::document_link("https://example.com/i/42.pdf")?)
            .body("INV-42")
            .to(TO)?,
        general("order_update")
            .header("A-1042")
            .body("Tuesday")
            .to(TO)?,
        general("store_hours").body("9am to 8pm").to(TO)?,
        general("loyalty_points")
            .named_body("points", "1200")
            .named_body("expiry_date", DateTime::new("31 March")?)
            .named_body("first_name", "Ada")
            .to(TO)?,
        general("welcome_back")
            .named_header("first_name", "Ada")
            .to(TO)?,
        general("coupon_code")
            .body("SAVE20")
            .copy_code_button(0, "SAVE20")
            .quick_reply_button(1, "stop")
            .to(TO)?,
        general("flash_sale")
            .header(image()?)
            .limited_time_offer(1_767_225_600_000)
            .body("Pablo")
            .body("CARIBE25")
            .copy_code_button(0, "CARIBE25")
            .url_button(1, "n3mtql")
            .to(TO)?,
        general("summer_carousel")
            .body("Ada")
            .card(pick("sandals")?)
            .card(pick("hats")?)
            .card(pick("towels")?)
            .to(TO)?,
    ];
    for message in &messages {
        assert_eq!(catalogue.check(message), Ok(()), "{message:?}");
    }
    Ok(())
}

#[test]
fn file_errors_are_the_same() -> Result<(), Box<dyn std::error::Error>> {
    for (case, file) in [
        ("catalogue_file_not_json", "not-json.json"),
        ("catalogue_file_not_a_catalogue", "not-a-catalogue.json"),
    ] {
        let stderr = std::fs::read_to_string(dir().join(format!("broken/{case}.stderr")))?;
        let error = match Catalogue::load(dir().join("broken").join(file)) {
            Err(e) => e,
            Ok(_) => panic!("{file} loads"),
        };
        let located = format!(
            "{file}:{}:{}: {}",
            error.line().unwrap_or_default(),
            error.column().unwrap_or_default(),
            error.message()
        );
        assert!(stderr.contains(&located), "{located}\n{stderr}");
        // One error (the not-JSON case has two derives: the file is reported by the first).
        assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    }
    let missing = Catalogue::load(dir().join("broken/missing.json"));
    assert!(missing.is_err());
    Ok(())
}
