use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", button_index = -1)]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
