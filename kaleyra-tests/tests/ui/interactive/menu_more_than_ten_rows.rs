use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(title = "Slot 0")]
    Slot0,
    #[menu(title = "Slot 1")]
    Slot1,
    #[menu(title = "Slot 2")]
    Slot2,
    #[menu(title = "Slot 3")]
    Slot3,
    #[menu(title = "Slot 4")]
    Slot4,
    #[menu(title = "Slot 5")]
    Slot5,
    #[menu(title = "Slot 6")]
    Slot6,
    #[menu(title = "Slot 7")]
    Slot7,
    #[menu(title = "Slot 8")]
    Slot8,
    #[menu(title = "Slot 9")]
    Slot9,
    #[menu(title = "Slot 10")]
    Slot10,
}

fn main() {}
