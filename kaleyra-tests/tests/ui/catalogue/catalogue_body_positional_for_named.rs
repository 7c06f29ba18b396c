use kaleyra::prelude::*;

// `loyalty_points` has named parameters: each body field names its {{name}}.
#[derive(Template)]
#[template(name = "loyalty_points", lang = "en_US")]
struct LoyaltyPoints {
    #[template(body)]
    first_name: String,
    #[template(body)]
    points: String,
    #[template(body)]
    expiry: String,
}

fn main() {}
