use kaleyra::prelude::*;

// `order_update`'s button 0 is a static URL (https://example.com/help): it takes no suffix.
#[derive(Template)]
#[template(name = "order_update", lang = "en_US")]
struct OrderUpdate {
    #[template(header)]
    order: String,
    #[template(body)]
    day: String,
    #[template(button(url, index = 0))]
    page: String,
}

fn main() {}
