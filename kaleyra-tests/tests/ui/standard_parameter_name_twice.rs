use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "welcome_named", lang = "en_US")]
struct Welcome {
    #[template(body = "name")]
    first_name: String,
    #[template(body = "name")]
    last_name: String,
}

fn main() {}
