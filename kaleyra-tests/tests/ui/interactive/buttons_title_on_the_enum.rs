use kaleyra::Buttons;

#[derive(Buttons)]
#[button(title = "Yes")]
enum Answer {
    #[button(title = "Yes")]
    Yes,
}

fn main() {}
