use kaleyra::{Otp, Template};

// Built with KALEYRA_TEMPLATES=off: the struct that fails as
// tests/ui/catalogue/catalogue_template_not_approved_yet.rs compiles, format rules only.
#[derive(Template)]
#[template(name = "newsletter", kind = otp, lang = "en_US")]
struct Newsletter {
    #[template(otp)]
    code: Otp,
}

fn main() {
    Newsletter { code: Otp::new("123456").unwrap() }.to("+15550001234").unwrap();
}
