use kaleyra::prelude::*;

// `order_shipped`'s button 0 is a dynamic URL (https://example.com/t/{{1}}): every send gives
// its suffix.
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: String,
    #[template(body)]
    order: String,
    #[template(body)]
    day: String,
}

fn main() {}
