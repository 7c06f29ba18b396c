use kaleyra::{Otp, Template};

// The file is JSON, but the template this struct names is not a template's shape: the error
// names the file, the line and the member.
#[derive(Template)]
#[template(name = "login_code", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
