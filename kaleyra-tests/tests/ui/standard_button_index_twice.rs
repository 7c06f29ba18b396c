use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(button(url, index = 0))]
    tracking: String,
    #[template(button(quick_reply, index = 0))]
    stop: String,
}

fn main() {}
