use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: String,
    #[flow_response(token)]
    other_token: String,
}

fn main() {}
