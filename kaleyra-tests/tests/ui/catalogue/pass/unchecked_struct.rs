use kaleyra::{Otp, Template};

// Still in review, so not in the catalogue yet: opted out of the check.
#[derive(Template)]
#[template(name = "newsletter", kind = otp, lang = "en_US", unchecked)]
struct Newsletter {
    #[template(otp)]
    code: Otp,
}

fn main() {
    let m = Newsletter { code: Otp::new("123456").unwrap() }.to("+15550001234").unwrap();
    assert!(m.as_str().contains("newsletter"));
}
