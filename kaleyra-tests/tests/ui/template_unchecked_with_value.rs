use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", unchecked = true)]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
