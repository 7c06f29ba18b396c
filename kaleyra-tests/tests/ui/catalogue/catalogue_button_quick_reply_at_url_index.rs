use kaleyra::prelude::*;

// `order_shipped`'s button 0 is the tracking URL, button 1 its only quick reply: the first
// quick reply below is at the URL button's index, and the quick reply's index is taken.
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: String,
    #[template(body)]
    order: String,
    #[template(body)]
    day: String,
    #[template(button(quick_reply, index = 0))]
    stop: String,
    #[template(button(quick_reply, index = 1))]
    stop_again: String,
}

fn main() {}
