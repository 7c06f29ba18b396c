use kaleyra::Buttons;

#[derive(Buttons)]
struct Answer {
    yes: bool,
}

fn main() {}
