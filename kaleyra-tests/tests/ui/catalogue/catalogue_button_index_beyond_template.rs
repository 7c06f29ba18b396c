use kaleyra::Template;

// `survey` has one button.
#[derive(Template)]
#[template(name = "survey", kind = flow, lang = "en_US", button_index = 3)]
struct Survey {
    #[template(body)]
    name: String,
}

fn main() {}
