use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    image: Media,
    #[card(button(copy_code, index = 0))]
    coupon: String,
}

fn main() {}
