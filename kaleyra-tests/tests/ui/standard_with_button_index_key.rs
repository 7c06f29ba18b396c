use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US", button_index = 0)]
struct OrderShipped {
    #[template(button(url, index = 0))]
    tracking: String,
}

fn main() {}
