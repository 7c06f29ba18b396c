use kaleyra::Buttons;

#[derive(Buttons)]
enum Answer {
    #[button(titel = "Yes")]
    Yes,
    #[button(title = "No")]
    No,
}

fn main() {}
