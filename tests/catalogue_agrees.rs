//! `Catalogue::check` at run time agrees with the derive at compile time on every trybuild case
//! of `tests/ui/catalogue/`: the message the runtime builders make for the same template finds
//! the same mismatches (as many, each with the same account of the approved template) that the
//! case's accepted `.stderr` shows, and the cases that compile pass the check. The catalogue
//! file's errors are the same too. Only `unchecked` and `KALEYRA_TEMPLATES=off` have no runtime
//! counterpart: at run time, not calling `check` is the opt-out.

use std::collections::BTreeSet;
use std::path::Path;

use kaleyra::model::{AuthenticationTemplate, FlowTemplate, ProductTemplate};
use kaleyra::{Catalogue, Error, Message, Otp, Template};

const TO: &str = "+15550001234";

/// The fixture as the derive names it (relative to trybuild's crate, `target/tests/trybuild/…`).
const SHOWN: &str = "../../../../tests/ui/catalogue/templates.json";

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/catalogue"))
}

fn otp(name: &str, lang: &str) -> Result<Message, Error> {
    AuthenticationTemplate::new(name, lang, Otp::new("123456")?).to(TO)
}

fn flow(name: &str) -> FlowTemplate {
    FlowTemplate::new(name, "en_US")
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
        assert_eq!(
            stderr.matches("\nerror: ").count() + usize::from(stderr.starts_with("error: ")),
            mismatches.len(),
            "{case}: {mismatches}\n{stderr}"
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
