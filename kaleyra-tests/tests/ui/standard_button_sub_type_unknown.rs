use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(button(quick_replay, index = 0))]
    stop: String,
}

fn main() {}
