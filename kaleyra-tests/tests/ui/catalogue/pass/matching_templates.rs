use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "pt_BR")]
struct CodigoDeLogin<'a> {
    #[template(otp)]
    code: &'a str,
}

// Meta lists this authentication template's OTP button as a dynamic URL, at index 1.
#[derive(Template)]
#[template(name = "login_url", kind = otp, lang = "en_US", button_index = 1)]
struct LoginLink {
    #[template(otp)]
    code: Otp,
}

#[derive(Template)]
#[template(name = "survey", kind = flow, lang = "en_US")]
struct Survey {
    #[template(body)]
    name: String,
    #[template(flow_token)]
    token: String,
}

#[derive(Template)]
#[template(name = "cart_offer", kind = product, lang = "en_US")]
struct CartOffer<'a> {
    #[template(product_retailer_id)]
    product: &'a str,
    #[template(catalog_id)]
    catalog: &'a str,
    #[template(body)]
    code: &'a str,
    #[template(body)]
    discount: String,
}

fn main() {
    let to = "+15550001234";
    LoginCode { code: Otp::new("123456").unwrap() }.to(to).unwrap();
    CodigoDeLogin { code: "654321" }.to(to).unwrap();
    LoginLink { code: Otp::new("111111").unwrap() }.to(to).unwrap();
    Survey { name: "Ada".into(), token: "t".into() }.to(to).unwrap();
    let offer = CartOffer { product: "p1", catalog: "194", code: "25OFF", discount: "25%".into() };
    offer.to(to).unwrap();
}
