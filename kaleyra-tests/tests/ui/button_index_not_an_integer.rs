use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", button_index = "0")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
