use kaleyra::Flow;

#[derive(Flow)]
#[flow(name = "invalid", cta = "Book now", screen = "BOOKING", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
    venue: String,
    guests: u32,
}

fn main() {}
