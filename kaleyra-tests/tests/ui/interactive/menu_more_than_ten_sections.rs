use kaleyra::Menu;

// Eleven sections need eleven rows: both limits are passed, and both are reported.
#[derive(Menu)]
#[menu(button = "Pick a day")]
enum Slot {
    #[menu(section = "Day 0", title = "Slot 0")]
    Slot0,
    #[menu(section = "Day 1", title = "Slot 1")]
    Slot1,
    #[menu(section = "Day 2", title = "Slot 2")]
    Slot2,
    #[menu(section = "Day 3", title = "Slot 3")]
    Slot3,
    #[menu(section = "Day 4", title = "Slot 4")]
    Slot4,
    #[menu(section = "Day 5", title = "Slot 5")]
    Slot5,
    #[menu(section = "Day 6", title = "Slot 6")]
    Slot6,
    #[menu(section = "Day 7", title = "Slot 7")]
    Slot7,
    #[menu(section = "Day 8", title = "Slot 8")]
    Slot8,
    #[menu(section = "Day 9", title = "Slot 9")]
    Slot9,
    #[menu(section = "Day 10", title = "Slot 10")]
    Slot10,
}

fn main() {}
