use kaleyra::Template;

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey {
    #[template(flow_action_data)]
    data: NotJson,
}

struct NotJson;

fn main() {}
