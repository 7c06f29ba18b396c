use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "On a date")]
    OnDate(String),
}

fn main() {}
