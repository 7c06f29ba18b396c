// A re-exported or renamed `kaleyra` is reached through `crate = path` on the enum.
mod reexport {
    pub use kaleyra as inner;
}

use kaleyra::session::Choice as _;

#[derive(kaleyra::Buttons)]
#[button(crate = reexport::inner)]
enum Answer {
    #[button(title = "Yes")]
    Yes,
    #[button(title = "No")]
    No,
}

#[derive(kaleyra::Menu)]
#[menu(button = "Sizes", crate = "crate::reexport::inner")]
enum Size {
    #[menu(title = "Small")]
    Small,
}

fn main() {
    let ask = Answer::ask("Shall we?").unwrap();
    assert_eq!(ask.buttons().count(), 2);
    assert!(Answer::from_id("No").is_some() && Answer::from_id("Maybe").is_none());
    let _ = (Answer::Yes, Size::Small, Size::ask("Which?").unwrap());
}
