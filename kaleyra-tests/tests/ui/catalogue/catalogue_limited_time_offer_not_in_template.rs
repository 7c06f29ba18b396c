use kaleyra::prelude::*;

// `order_thanks` has no limited-time offer.
#[derive(Template)]
#[template(name = "order_thanks", lang = "en_US")]
struct OrderThanks {
    #[template(body)]
    customer: String,
    #[template(limited_time_offer)]
    expires_at_ms: u64,
}

fn main() {}
