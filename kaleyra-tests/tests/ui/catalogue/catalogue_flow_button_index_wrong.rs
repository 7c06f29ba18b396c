use kaleyra::Template;

// `survey_link`'s flow button is its button 0; button 1 is a dynamic URL button.
#[derive(Template)]
#[template(name = "survey_link", kind = flow, lang = "en_US", button_index = 1)]
struct Survey;

fn main() {}
