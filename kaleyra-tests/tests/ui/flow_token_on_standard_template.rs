use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "flow_template20", lang = "en_US")]
struct Survey {
    #[template(flow_token)]
    token: String,
}

fn main() {}
