use kaleyra::prelude::*;

// `order_shipped`'s body has three parameters: "Hi {{1}}, your order {{2}} ships on {{3}}."
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: String,
    #[template(body)]
    order: String,
    #[template(button(url, index = 0))]
    tracking: String,
}

fn main() {}
