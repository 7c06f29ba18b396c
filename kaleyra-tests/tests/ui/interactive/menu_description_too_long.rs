use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(title = "09:00-12:00", description = "Our driver calls you about thirty minutes before arriving at your front door, twice")]
    Morning,
    #[menu(title = "12:00-15:00")]
    Afternoon,
}

fn main() {}
