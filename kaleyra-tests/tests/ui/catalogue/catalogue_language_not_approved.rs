use kaleyra::{Otp, Template};

// `login_code` is approved in en_US and pt_BR only.
#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "de")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
