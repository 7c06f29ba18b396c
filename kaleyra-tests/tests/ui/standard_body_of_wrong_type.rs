use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(body)]
    total: f64,
}

fn main() {}
