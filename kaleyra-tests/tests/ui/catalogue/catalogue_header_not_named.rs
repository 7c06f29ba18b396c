use kaleyra::prelude::*;

// `welcome_back`'s header is "Welcome back, {{first_name}}!": a named parameter, which the
// header field must name.
#[derive(Template)]
#[template(name = "welcome_back", lang = "en_US")]
struct WelcomeBack {
    #[template(header)]
    first_name: String,
}

fn main() {}
