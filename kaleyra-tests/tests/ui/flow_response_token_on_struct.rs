use kaleyra::FlowResponse;

#[derive(FlowResponse)]
#[flow_response(token)]
struct Booked {
    token: String,
}

fn main() {}
