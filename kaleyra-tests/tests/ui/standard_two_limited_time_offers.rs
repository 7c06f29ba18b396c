use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "flash_sale", lang = "en_US")]
struct FlashSale {
    #[template(limited_time_offer)]
    expires: u64,
    #[template(limited_time_offer)]
    also_expires: u64,
}

fn main() {}
