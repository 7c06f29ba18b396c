use kaleyra::prelude::*;

// `coupon_code`'s button 0 is the COPY_CODE button; its quick reply is button 1.
#[derive(Template)]
#[template(name = "coupon_code", lang = "en_US")]
struct CouponCode {
    #[template(body)]
    code: String,
    #[template(button(quick_reply, index = 0))]
    unsubscribe: String,
}

fn main() {}
