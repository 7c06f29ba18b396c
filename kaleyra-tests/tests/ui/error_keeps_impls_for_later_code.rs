use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en-US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

// The language is wrong, but this code still type-checks: only that error is reported.
fn send(code: Otp) -> Result<kaleyra::Message, kaleyra::Error> {
    LoginCode { code }.to("+919876543210")
}

fn main() {
    let _ = send;
}
