use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "klingon")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
