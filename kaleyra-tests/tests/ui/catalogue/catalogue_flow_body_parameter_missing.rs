use kaleyra::Template;

#[derive(Template)]
#[template(name = "survey", kind = flow, lang = "en_US")]
struct Survey {
    #[template(flow_token)]
    token: String,
}

fn main() {}
