use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

// A second derive: the file's problem is reported once, by the first.
#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "pt_BR")]
struct CodigoDeLogin {
    #[template(otp)]
    code: Otp,
}

fn main() {}
