use kaleyra::Template;

// `survey`'s body has one parameter: "Hi {{1}}, tell us how we did."
#[derive(Template)]
#[template(name = "survey", kind = flow, lang = "en_US")]
struct Survey {
    #[template(body)]
    name: String,
    #[template(body)]
    order: String,
}

fn main() {}
