use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(heder)]
    image: Media,
}

fn main() {}
