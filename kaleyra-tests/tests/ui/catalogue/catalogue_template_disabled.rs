use kaleyra::Template;

#[derive(Template)]
#[template(name = "promo_disabled", kind = flow, lang = "en_US")]
struct Promo;

fn main() {}
