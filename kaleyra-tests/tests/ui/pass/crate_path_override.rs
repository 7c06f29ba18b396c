// A re-exported or renamed `kaleyra` is reached through `crate = path`.
mod reexport {
    pub use kaleyra as inner;
}

use kaleyra::Template as _;

#[derive(kaleyra::Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", crate = reexport::inner)]
struct LoginCode {
    #[template(otp)]
    code: String,
}

#[derive(kaleyra::Flow)]
#[flow(id = "1", cta = "Go", body = "Hi", crate = "crate::reexport::inner")]
struct Plain;

#[derive(kaleyra::Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", crate = self::reexport::inner)]
struct SelfPath {
    #[template(otp)]
    code: String,
}

mod nested {
    #[derive(kaleyra::Flow)]
    #[flow(id = "1", cta = "Go", body = "Hi", crate = super::reexport::inner)]
    pub struct SuperPath;
}

fn main() {
    let m = LoginCode { code: "1234".into() }.to("+15550001234").unwrap();
    assert_eq!(m.kind(), kaleyra::MessageKind::Authentication);
    let m = kaleyra::Flow::to(&Plain, "+15550001234").unwrap();
    assert!(!m.as_str().contains("flow_action_payload"));
    let m = SelfPath { code: "1234".into() }.to("+15550001234").unwrap();
    assert_eq!(m.kind(), kaleyra::MessageKind::Authentication);
    let m = kaleyra::Flow::to(&nested::SuperPath, "+15550001234").unwrap();
    assert!(!m.as_str().contains("flow_action_payload"));
}
