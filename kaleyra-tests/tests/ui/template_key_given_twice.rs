use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", name = "auth2", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
