use kaleyra::Buttons;

#[derive(Buttons)]
enum Answer {
    #[button(title = "Yes")]
    Yes,
    #[button(title = "")]
    No,
}

fn main() {}
