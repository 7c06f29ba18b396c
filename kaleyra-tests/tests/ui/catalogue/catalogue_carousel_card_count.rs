use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(url, index = 1))]
    details: String,
}

// `summer_carousel` has three cards.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: [Pick; 2],
}

fn main() {}
