use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(carousel)]
    cards: Vec<String>,
}

fn main() {}
