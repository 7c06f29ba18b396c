use kaleyra::Template;

// `survey_link`'s button 1 is a dynamic URL: every send gives its suffix, which a flow
// template's fields cannot.
#[derive(Template)]
#[template(name = "survey_link", kind = flow, lang = "en_US")]
struct Survey;

fn main() {}
