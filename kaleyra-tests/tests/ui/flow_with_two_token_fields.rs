use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", screen = "WELCOME", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
    #[flow(token)]
    other: String,
}

fn main() {}
