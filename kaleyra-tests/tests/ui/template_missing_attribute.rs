use kaleyra::{Otp, Template};

#[derive(Template)]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
