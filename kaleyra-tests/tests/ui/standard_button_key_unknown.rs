use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(button(url, indx = 0))]
    tracking: String,
}

fn main() {}
