use kaleyra::prelude::*;

// `flash_sale`'s limited-time offer shows an expiry: every send gives it.
#[derive(Template)]
#[template(name = "flash_sale", lang = "en_US")]
struct FlashSale {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: String,
    #[template(body)]
    code: String,
    #[template(button(copy_code, index = 0))]
    coupon: String,
    #[template(button(url, index = 1))]
    booking: String,
}

fn main() {}
