use kaleyra::Flow;

#[derive(Flow)]
#[flow(cta = "Book now", screen = "WELCOME", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
    date: String,
}

fn main() {}
