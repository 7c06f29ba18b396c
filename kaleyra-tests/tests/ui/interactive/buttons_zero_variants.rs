use kaleyra::Buttons;

#[derive(Buttons)]
enum Nothing {}

fn main() {}
