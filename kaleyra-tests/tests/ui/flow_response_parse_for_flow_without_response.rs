use kaleyra::callback::FlowReply;
use kaleyra::Flow;

#[derive(Flow)]
#[flow(id = "1234567890", cta = "Book now", body = "Pick a date")]
struct Booking {
    #[flow(token)]
    token: String,
}

fn read(reply: &FlowReply<'_>) {
    let _ = reply.parse_for::<Booking>();
}

fn main() {}
