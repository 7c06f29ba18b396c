use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Today")]
    Today,
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(title = "Cancel")]
    Cancel,
}

fn main() {}
