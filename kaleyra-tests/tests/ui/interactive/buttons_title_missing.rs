use kaleyra::Buttons;

#[derive(Buttons)]
enum Answer {
    #[button(id = "yes")]
    Yes,
    #[button(title = "No")]
    No,
}

fn main() {}
