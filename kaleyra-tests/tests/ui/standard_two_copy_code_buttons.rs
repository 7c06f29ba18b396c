use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "two_coupons", lang = "en_US")]
struct TwoCoupons {
    #[template(button(copy_code, index = 0))]
    coupon: String,
    #[template(button(copy_code, index = 1))]
    other: String,
}

fn main() {}
