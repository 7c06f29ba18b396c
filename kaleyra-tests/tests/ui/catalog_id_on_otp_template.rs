use kaleyra::{Otp, Template};

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", catalog_id = "1940000000003835")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() {}
