use kaleyra::prelude::*;

// `loyalty_points`'s body names {{first_name}}, {{points}} and {{expiry_date}}.
#[derive(Template)]
#[template(name = "loyalty_points", lang = "en_US")]
struct LoyaltyPoints {
    #[template(body = "first_name")]
    first_name: String,
    #[template(body = "points")]
    points: String,
}

fn main() {}
