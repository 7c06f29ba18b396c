use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Tomorrow")]
    TomorrowEvening,
}

fn main() {}
