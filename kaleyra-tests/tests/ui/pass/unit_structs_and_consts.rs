use kaleyra::{Otp, Template, otp};

// A flow template with no per-message values is a unit struct.
#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey;

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US", catalog_id = "1940000000003835")]
struct Offer {
    #[template(product_retailer_id)]
    product: &'static str,
}

const DEMO_CODE: Otp = otp!("J$FpXXXX");

fn main() {
    let m = Survey.to("+919876543210").unwrap();
    assert!(m.as_str().contains(r#""action":{}"#));
    let m = Offer { product: "nqrxxx03ez" }.to("+16005550234").unwrap();
    assert!(m.as_str().contains(r#""catalog_id":"1940000000003835""#));
    assert_eq!(DEMO_CODE.as_str(), "J$FpXXXX");
}
