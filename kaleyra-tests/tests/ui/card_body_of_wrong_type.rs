use kaleyra::prelude::*;

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: f64,
}

fn main() {}
