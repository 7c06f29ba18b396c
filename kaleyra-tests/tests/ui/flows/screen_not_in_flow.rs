use kaleyra::Flow;

#[derive(Flow)]
#[flow(name = "booking", cta = "Book now", screen = "BOOKNG", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
    venue: String,
    guests: u32,
}

fn main() {}
