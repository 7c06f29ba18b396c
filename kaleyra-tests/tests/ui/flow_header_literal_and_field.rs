use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", screen = "WELCOME", body = "Pick a date", header = "Welcome")]
struct Booking {
    #[flow(header)]
    header: String,
    date: String,
}

fn main() {}
