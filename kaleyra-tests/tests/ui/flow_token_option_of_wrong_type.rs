use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey {
    #[template(flow_token)]
    token: Option<u64>,
}

fn main() {}
