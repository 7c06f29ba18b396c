use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
    #[card(button(quick_reply, index = 0))]
    buy: String,
}

// The cards' button 1 is a dynamic URL button; a `Vec` of cards is checked too.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: Vec<Pick>,
}

fn main() {}
