// General templates (no `kind`) that match their approved templates in the fixture catalogue.
use kaleyra::prelude::*;

// Names the generated card-shape check uses for its locals: it must not see these.
#[allow(non_upper_case_globals, dead_code)]
const approved: u8 = 0;
#[allow(non_upper_case_globals, dead_code)]
const declared: u8 = 0;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped<'a> {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: &'a str,
    #[template(body)]
    order: String,
    #[template(body)]
    day: DateTime,
    #[template(button(url, index = 0))]
    tracking: String,
    // Button 1 is a quick reply: its payload is optional.
}

// A `Media` header fits any media format; the runtime checks the kind it holds.
#[derive(Template)]
#[template(name = "invoice_ready", lang = "en_US")]
struct InvoiceReady {
    #[template(header)]
    invoice_pdf: Media,
    #[template(body)]
    invoice: String,
}

// A static URL button takes no field.
#[derive(Template)]
#[template(name = "order_update", lang = "en_US")]
struct OrderUpdate {
    #[template(header)]
    order: String,
    #[template(body)]
    day: String,
}

// A fixed text header takes no field.
#[derive(Template)]
#[template(name = "store_hours", lang = "en_US")]
struct StoreHours {
    #[template(body)]
    hours: String,
}

// Named parameters, in any field order.
#[derive(Template)]
#[template(name = "loyalty_points", lang = "en_US")]
struct LoyaltyPoints {
    #[template(body = "points")]
    points: String,
    #[template(body = "expiry_date")]
    expiry: DateTime,
    #[template(body = "first_name")]
    first_name: String,
}

#[derive(Template)]
#[template(name = "welcome_back", lang = "en_US")]
struct WelcomeBack {
    #[template(header = "first_name")]
    first_name: String,
}

#[derive(Template)]
#[template(name = "coupon_code", lang = "en_US")]
struct CouponCode {
    #[template(body)]
    code: String,
    #[template(button(copy_code, index = 0))]
    coupon: String,
    #[template(button(quick_reply, index = 1))]
    unsubscribe: String,
}

#[derive(Template)]
#[template(name = "flash_sale", lang = "en_US")]
struct FlashSale {
    #[template(header)]
    photo: Media,
    #[template(limited_time_offer)]
    expires_at_ms: u64,
    #[template(body)]
    customer: String,
    #[template(body)]
    code: String,
    #[template(button(copy_code, index = 0))]
    coupon: String,
    #[template(button(url, index = 1))]
    booking: String,
}

#[derive(Card)]
struct Pick {
    #[card(header)]
    image: Media,
    #[card(body)]
    price: Currency,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(url, index = 1))]
    details: String,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: [Pick; 3],
}

// A `Vec` of cards: its length is checked when the message is built.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct SummerPicks {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: Vec<Pick>,
}

// A borrowing card type: the shape check names it with `'static` lifetimes.
#[derive(Card)]
struct BorrowedPick<'a> {
    #[card(header)]
    image: &'a Media,
    #[card(body)]
    price: &'a str,
    #[card(button(quick_reply, index = 0))]
    buy: &'a str,
    #[card(button(url, index = 1))]
    details: &'a str,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct BorrowedSummer<'a> {
    #[template(body)]
    customer: &'a str,
    #[template(carousel)]
    picks: &'a [BorrowedPick<'a>],
}

// A card type chosen by the caller: its shape is checked when the message is built.
#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct AnySummer<C: Card> {
    #[template(body)]
    customer: String,
    #[template(carousel)]
    picks: Vec<C>,
}

fn main() -> Result<(), Error> {
    let to = "+15550001234";
    let image = || Media::image_link("https://example.com/a.jpg");
    let pick = |slug: &str| -> Result<Pick, Error> {
        Ok(Pick {
            image: image()?,
            price: Currency::new("USD", 25_000, "$25")?,
            buy: "buy".into(),
            details: slug.into(),
        })
    };
    OrderShipped {
        photo: image()?,
        customer: "Ada",
        order: "A-1042".into(),
        day: DateTime::new("Tuesday")?,
        tracking: "A-1042".into(),
    }
    .to(to)?;
    InvoiceReady {
        invoice_pdf: Media::document_link("https://example.com/i/42.pdf")?,
        invoice: "INV-42".into(),
    }
    .to(to)?;
    OrderUpdate { order: "A-1042".into(), day: "Tuesday".into() }.to(to)?;
    StoreHours { hours: "9am to 8pm".into() }.to(to)?;
    LoyaltyPoints {
        points: "1200".into(),
        expiry: DateTime::new("31 March")?,
        first_name: "Ada".into(),
    }
    .to(to)?;
    WelcomeBack { first_name: "Ada".into() }.to(to)?;
    CouponCode { code: "SAVE20".into(), coupon: "SAVE20".into(), unsubscribe: "stop".into() }
        .to(to)?;
    FlashSale {
        photo: image()?,
        expires_at_ms: 1_767_225_600_000,
        customer: "Pablo".into(),
        code: "CARIBE25".into(),
        coupon: "CARIBE25".into(),
        booking: "n3mtql".into(),
    }
    .to(to)?;
    Summer {
        customer: "Ada".into(),
        picks: [pick("sandals")?, pick("hats")?, pick("towels")?],
    }
    .to(to)?;
    SummerPicks { customer: "Ada".into(), picks: vec![pick("sandals")?, pick("hats")?, pick("towels")?] }
        .to(to)?;
    let photo = image()?;
    let borrowed = [
        BorrowedPick { image: &photo, price: "$20", buy: "buy", details: "sandals" },
        BorrowedPick { image: &photo, price: "$15", buy: "buy", details: "hats" },
        BorrowedPick { image: &photo, price: "$10", buy: "buy", details: "towels" },
    ];
    BorrowedSummer { customer: "Ada", picks: &borrowed }.to(to)?;
    AnySummer { customer: "Ada".into(), picks: vec![pick("sandals")?, pick("hats")?, pick("towels")?] }
        .to(to)?;
    Ok(())
}
