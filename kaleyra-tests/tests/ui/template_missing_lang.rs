use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp)]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
