use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(title = "09:00-12:00")]
    Morning,
    #[menu(title = "Another time")]
    At { hour: u8 },
}

fn main() {}
