use kaleyra::prelude::*;

#[derive(Card)]
#[card(crat = kaleyra)]
struct Offer {
    #[card(header)]
    image: Media,
}

fn main() {}
