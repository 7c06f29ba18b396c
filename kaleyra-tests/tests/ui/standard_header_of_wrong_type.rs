use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    order: u64,
}

fn main() {}
