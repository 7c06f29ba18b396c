use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(token = "flow_token")]
    token: String,
}

fn main() {}
