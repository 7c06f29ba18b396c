use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    title: String,
}

fn main() {}
