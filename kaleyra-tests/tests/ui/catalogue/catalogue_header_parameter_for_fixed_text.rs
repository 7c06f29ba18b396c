use kaleyra::prelude::*;

// `store_hours`'s header is the fixed text "New opening hours": it takes no parameter.
#[derive(Template)]
#[template(name = "store_hours", lang = "en_US")]
struct StoreHours {
    #[template(header)]
    title: String,
    #[template(body)]
    hours: String,
}

fn main() {}
