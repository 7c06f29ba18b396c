use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    photo: Media,
    #[template(header)]
    title: String,
    #[template(body = "Customer")]
    customer: String,
    #[template(button(url, index = 3))]
    tracking: String,
    #[template(button(quick_reply, index = 3))]
    stop: String,
    #[template(button(urll, index = 4))]
    other: String,
}

fn main() {}
