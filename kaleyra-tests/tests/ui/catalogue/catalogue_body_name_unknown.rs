use kaleyra::prelude::*;

// `loyalty_points`'s body names {{first_name}}, {{points}} and {{expiry_date}}.
#[derive(Template)]
#[template(name = "loyalty_points", lang = "en_US")]
struct LoyaltyPoints {
    #[template(body = "frist_name")]
    first_name: String,
    #[template(body = "points")]
    points: String,
    #[template(body = "expiry_date")]
    expiry: String,
}

fn main() {}
