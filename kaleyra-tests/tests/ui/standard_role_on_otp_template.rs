use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
    #[template(header)]
    title: String,
}

fn main() {}
