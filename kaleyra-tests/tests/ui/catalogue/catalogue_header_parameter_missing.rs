use kaleyra::prelude::*;

// `order_update`'s header is "Order {{1}}": every send gives its parameter.
#[derive(Template)]
#[template(name = "order_update", lang = "en_US")]
struct OrderUpdate {
    #[template(body)]
    day: String,
}

fn main() {}
