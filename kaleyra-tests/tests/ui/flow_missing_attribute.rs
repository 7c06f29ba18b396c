use kaleyra::Flow;

#[derive(Flow)]
struct Booking {
    date: String,
}

fn main() {}
