use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", body = "Pick a date", response = Booked)]
struct Booking {
    #[flow(token)]
    token: String,
}

/// Forgot `#[derive(FlowResponse)]`.
struct Booked {
    date: String,
}

fn main() {}
