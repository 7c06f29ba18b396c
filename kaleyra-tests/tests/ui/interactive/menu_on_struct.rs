use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
struct Slot {
    hour: u8,
}

fn main() {}
