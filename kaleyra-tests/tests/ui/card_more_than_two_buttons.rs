use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    image: Media,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(quick_reply, index = 1))]
    save: String,
    #[card(button(url, index = 2))]
    link: String,
}

fn main() {}
