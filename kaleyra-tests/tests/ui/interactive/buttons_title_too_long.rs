use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Some time next week please")]
    NextWeek,
}

fn main() {}
