use kaleyra::{Otp, Template};

// `login_cod`: a typo of the approved `login_code`.
#[derive(Template)]
#[template(name = "login_cod", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
