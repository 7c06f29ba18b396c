use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: String,
    #[card(button(url, index = 0))]
    details: String,
    #[card(button(quick_reply, index = 1))]
    buy: String,
}

// The cards' button 0 is a quick reply, button 1 a URL.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: [Pick; 3],
}

fn main() {}
