use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
