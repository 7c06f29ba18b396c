use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(buton(url, index = 0))]
    tracking: String,
}

fn main() {}
