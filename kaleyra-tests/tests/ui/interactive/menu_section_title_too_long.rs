use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Before lunch, in the morning", title = "09:00-12:00")]
    Morning,
    #[menu(section = "Afternoon", title = "12:00-15:00")]
    Afternoon,
}

fn main() {}
