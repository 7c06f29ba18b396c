use kaleyra::{Otp, Template};

// `login_url`'s OTP button is its button 1 (button 0 is a quick reply).
#[derive(Template)]
#[template(name = "login_url", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
