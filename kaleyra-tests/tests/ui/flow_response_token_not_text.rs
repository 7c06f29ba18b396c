use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: u64,
    date: String,
}

fn main() {}
