use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(carousel)]
    cards: [Offer; 2],
    #[template(carousel)]
    more: Vec<Offer>,
}

fn main() {}
