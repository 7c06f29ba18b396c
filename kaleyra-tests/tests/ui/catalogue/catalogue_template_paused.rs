use kaleyra::Template;

#[derive(Template)]
#[template(name = "promo_paused", kind = flow, lang = "en_US")]
struct Promo;

fn main() {}
