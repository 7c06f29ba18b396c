use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(body)]
    price: String,
}

fn main() {}
