use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", body = "Pick a date", action = data_exchange)]
struct Booking {
    #[flow(token)]
    token: String,
    date: String,
}

fn main() {}
