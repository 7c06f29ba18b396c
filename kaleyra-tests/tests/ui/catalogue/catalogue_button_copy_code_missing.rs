use kaleyra::prelude::*;

// `coupon_code`'s button 0 copies a coupon code: every send gives it.
#[derive(Template)]
#[template(name = "coupon_code", lang = "en_US")]
struct CouponCode {
    #[template(body)]
    code: String,
}

fn main() {}
