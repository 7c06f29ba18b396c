use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", screen = "WELCOME", body = "Pick a date", token = "abc")]
struct Booking {
    date: String,
}

fn main() {}
