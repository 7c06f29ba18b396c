use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "12345abc", cta = "Book now", screen = "WELCOME", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
    date: String,
}

fn main() {}
