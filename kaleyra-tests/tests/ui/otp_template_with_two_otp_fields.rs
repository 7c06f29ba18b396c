use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
    #[template(otp)]
    again: Otp,
}

fn main() {}
