use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "flash_sale", lang = "en_US")]
struct FlashSale {
    #[template(limited_time_offer)]
    expires: String,
}

fn main() {}
