use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    photo: Media,
    #[template(header)]
    title: String,
    #[template(body)]
    customer: String,
}

fn main() {}
