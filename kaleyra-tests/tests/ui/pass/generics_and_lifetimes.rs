use std::borrow::Cow;
use std::marker::PhantomData;

use kaleyra::{Flow, Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", button_index = 3)]
struct Borrowed<'a> {
    #[template(otp)]
    code: &'a str,
}

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "pt_BR")]
struct WithCow<'a> {
    #[template(otp)]
    code: Cow<'a, str>,
}

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey<'a, D, T = String>
where
    D: serde::Serialize,
{
    #[template(body)]
    greeting: &'a str,
    #[template(flow_token)]
    token: T,
    #[template(flow_action_data)]
    data: D,
    marker: PhantomData<&'a ()>,
}

#[derive(serde::Serialize)]
struct FirstScreen {
    name: &'static str,
}

#[derive(Flow)]
#[flow(name = "booking", cta = "Book", screen = "DATES", body = "Pick dates", mode = draft)]
struct Booking<'a, N: serde::Serialize> {
    #[flow(token)]
    token: Cow<'a, str>,
    #[flow(rename = "party-size")]
    guests: N,
    #[flow(skip)]
    internal: u64,
}

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct Typed {
    #[template(otp)]
    code: Otp,
}

fn main() {
    let owned = String::from("123456");
    let m = Borrowed { code: &owned }.to("+919876543210").unwrap();
    assert!(m.as_str().contains(r#""index":3"#));
    let m = WithCow { code: Cow::Borrowed("987") }.to("+919876543210").unwrap();
    assert!(m.as_str().contains(r#""code":"pt_BR""#));
    let m = Survey {
        greeting: "Ana",
        token: Box::<str>::from("t-1"),
        data: FirstScreen { name: "Ana" },
        marker: PhantomData,
    }
    .to("+919876543210")
    .unwrap();
    assert!(m.as_str().contains(r#""flow_action_data":{"name":"Ana"}"#));
    let m = Booking { token: "tok".into(), guests: 4u8, internal: 7 }
        .to("+919876543210")
        .unwrap();
    assert!(m.as_str().contains(r#""flow_name":"booking""#));
    assert!(m.as_str().contains(r#""mode":"draft""#));
    assert!(m.as_str().contains(r#""data":{"party-size":4}"#));
    let m = Typed { code: kaleyra::otp!("4242") }.to("+919876543210").unwrap();
    assert!(m.as_str().contains("4242"));
}
