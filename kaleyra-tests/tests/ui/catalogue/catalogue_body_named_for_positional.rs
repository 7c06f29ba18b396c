use kaleyra::prelude::*;

// `store_hours` has a positional parameter: "From Monday we are open {{1}}."
#[derive(Template)]
#[template(name = "store_hours", lang = "en_US")]
struct StoreHours {
    #[template(body = "hours")]
    hours: String,
}

fn main() {}
