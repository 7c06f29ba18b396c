use kaleyra::Buttons;

#[derive(Buttons)]
enum Delivery {
    #[button(id = "soon", title = "Tomorrow")]
    Tomorrow,
    #[button(id = "soon", title = "Today")]
    Today,
}

fn main() {}
