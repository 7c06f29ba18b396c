use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
}

// `order_thanks` has no carousel.
#[derive(Template)]
#[template(name = "order_thanks", lang = "en_US")]
struct OrderThanks {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: [Pick; 1],
}

fn main() {}
