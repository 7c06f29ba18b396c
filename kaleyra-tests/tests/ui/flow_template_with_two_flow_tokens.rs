use kaleyra::Template;

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey {
    #[template(flow_token)]
    token: String,
    #[template(flow_token)]
    other: String,
}

fn main() {}
