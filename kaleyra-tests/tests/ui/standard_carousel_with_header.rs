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
    #[template(header)]
    banner: Media,
    #[template(carousel)]
    cards: Vec<Offer>,
}

fn main() {}
