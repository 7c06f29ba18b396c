use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
    #[card(body)]
    stock: String,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(url, index = 1))]
    details: String,
}

// Each card of `summer_carousel` has one body parameter.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: [Pick; 3],
}

fn main() {}
