use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(title = "Morning, from nine to twelve")]
    Morning,
    #[menu(title = "12:00-15:00")]
    Afternoon,
}

fn main() {}
