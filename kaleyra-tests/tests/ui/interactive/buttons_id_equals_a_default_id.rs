use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(id = "Tomorrow", title = "Tomorrow evening")]
    Evening,
}

fn main() {}
