use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
enum LoginCode {
    Code(Otp),
}

fn main() {}
