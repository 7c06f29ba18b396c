use kaleyra::prelude::*;

#[derive(Card)]
struct Offer {
    #[card(header)]
    image: Media,
    #[card(button(copy_code, index = 0))]
    coupon: String,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(carousel)]
    cards: Vec<Offer>,
}

// The card is wrong, but the template that holds it still type-checks: only that error is reported.
fn send(cards: Vec<Offer>) -> Result<Message, Error> {
    Summer { cards }.to("+919876543210")
}

fn main() {
    let _ = send;
}
