use kaleyra::Flow;

#[derive(Flow)]
#[flow(name = "booking", cta = "Book now", screen = "BOOKING", body = "Pick a date", id = "1234567890")]
struct Booking {
    #[flow(token)]
    token: String,
    venue: String,
    guests: u32,
}

fn main() {}
