use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode(#[template(otp)] Otp);

fn main() {}
