use kaleyra::{Otp, Template};

// Not in the catalogue at all, and no name is close.
#[derive(Template)]
#[template(name = "newsletter", kind = otp, lang = "en_US")]
struct Newsletter {
    #[template(otp)]
    code: Otp,
}

fn main() {}
