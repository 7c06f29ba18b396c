//! General templates and cards with lifetimes and type parameters; carousels as an array, a
//! `Vec` and a borrowed slice; `crate = path` on both derives.
use std::borrow::Cow;

use kaleyra::prelude::*;

/// A card generic over its price (text, `Currency`, …) and borrowing its image.
#[derive(Card)]
struct Offer<'a, P> {
    #[card(header)]
    image: &'a Media,
    #[card(body)]
    price: P,
    #[card(button(url, index = 0))]
    link: Cow<'a, str>,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct FixedCards<'a> {
    #[template(body)]
    name: &'a str,
    #[template(carousel)]
    cards: [Offer<'a, Currency>; 2],
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct OwnedCards<'a, P> {
    #[template(carousel)]
    cards: Vec<Offer<'a, P>>,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct BorrowedCards<'a, C: Card> {
    #[template(carousel)]
    cards: &'a [C],
}

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct Generic<'a, H, B, X = u64>
where
    B: Clone,
{
    #[template(header)]
    header: H,
    #[template(body)]
    first: B,
    #[template(body)]
    second: &'a DateTime,
    #[template(limited_time_offer)]
    expires: X,
    #[template(button(mpm, index = 1))]
    products: &'a Mpm,
    #[template(skip)]
    note: std::marker::PhantomData<&'a ()>,
}

mod reexport {
    pub use kaleyra as inner;
}

#[derive(kaleyra::Card)]
#[card(crate = reexport::inner)]
struct Plain {
    #[card(header)]
    video: Media,
}

#[derive(kaleyra::Template)]
#[template(name = "plain_carousel", lang = "en_US", crate = "crate::reexport::inner")]
struct PlainCarousel {
    #[template(carousel)]
    cards: Vec<Plain>,
}

fn main() {
    fn offer<P>(image: &Media, price: P) -> Offer<'_, P> {
        Offer { image, price, link: Cow::Borrowed("a/1") }
    }
    let image = Media::image_link("https://example.com/a.jpg").unwrap();
    let price = || Currency::new("USD", 1_000, "$1").unwrap();
    let m = FixedCards { name: "Ada", cards: [offer(&image, price()), offer(&image, price())] }
        .to("+15550001234")
        .unwrap();
    assert!(m.as_str().contains(r#""card_index":1"#));

    let m = OwnedCards { cards: vec![offer(&image, "$2")] }.to("+15550001234").unwrap();
    assert!(m.as_str().contains(r#"{"type":"text","text":"$2"}"#));
    // A Vec's number of cards is checked when the message is built.
    assert!(OwnedCards::<&str> { cards: vec![] }.to("+15550001234").is_err());

    let cards = [offer(&image, "$3")];
    let m = BorrowedCards { cards: &cards[..] }.to("+15550001234").unwrap();
    assert!(m.as_str().contains(r#""text":"$3""#));

    let date = DateTime::new("Monday").unwrap();
    let products = Mpm::new("SKU-1").unwrap().section("Top", ["SKU-1"]).unwrap();
    let m = Generic {
        header: Location::new(1.5, 2.5).unwrap(),
        first: String::from("Ada"),
        second: &date,
        expires: std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_767_225_600_000),
        products: &products,
        note: std::marker::PhantomData,
    }
    .to("+15550001234")
    .unwrap();
    assert!(m.as_str().contains(r#""type":"location","location":{"latitude":1.5,"longitude":2.5}"#));
    assert!(m.as_str().contains(r#""sub_type":"mpm","index":1"#));

    let m = PlainCarousel {
        cards: vec![Plain { video: Media::video_id("4621").unwrap() }],
    }
    .to("+15550001234")
    .unwrap();
    assert!(m.as_str().contains(r#""video":{"id":"4621"}"#));
}
