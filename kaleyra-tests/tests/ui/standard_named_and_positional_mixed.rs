use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "welcome_named", lang = "en_US")]
struct Welcome {
    #[template(body = "first_name")]
    first_name: String,
    #[template(body)]
    last_name: String,
}

fn main() {}
