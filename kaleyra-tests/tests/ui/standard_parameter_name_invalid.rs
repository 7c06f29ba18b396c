use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "welcome_named", lang = "en_US")]
struct Welcome {
    #[template(body = "First-Name")]
    first_name: String,
}

fn main() {}
