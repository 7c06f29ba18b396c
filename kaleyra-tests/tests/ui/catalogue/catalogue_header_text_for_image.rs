use kaleyra::prelude::*;

// `order_shipped`'s header is an IMAGE: its parameter is a `Media`, not text.
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    title: String,
    #[template(body)]
    customer: String,
    #[template(body)]
    order: String,
    #[template(body)]
    day: String,
    #[template(button(url, index = 0))]
    tracking: String,
}

fn main() {}
