use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    date: When,
}

struct When;

fn main() {}
