use kaleyra::{Otp, Template};

// `coupon_link` is a MARKETING template (its button 0 takes a URL suffix, as an OTP button
// would): not an authentication one.
#[derive(Template)]
#[template(name = "coupon_link", kind = otp, lang = "en_US")]
struct Coupon {
    #[template(otp)]
    code: Otp,
}

fn main() {}
