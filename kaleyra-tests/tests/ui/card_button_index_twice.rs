use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    image: Media,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(url, index = 0))]
    link: String,
}

fn main() {}
