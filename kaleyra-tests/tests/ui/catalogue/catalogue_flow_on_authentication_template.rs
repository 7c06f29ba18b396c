use kaleyra::Template;

#[derive(Template)]
#[template(name = "login_code", kind = flow, lang = "en_US")]
struct Survey;

fn main() {}
