use kaleyra::Menu;

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(id = "slot", title = "09:00-12:00")]
    Morning,
    #[menu(id = "slot", title = "12:00-15:00")]
    Afternoon,
}

fn main() {}
