use kaleyra::Template;

#[derive(Template)]
#[template(name = "Auth1", kind = otp, lang = "en-GB-x", button_index = 12)]
struct LoginCode {
    #[template(otp)]
    code: u8,
    #[template(body)]
    name: String,
}

fn main() {}
