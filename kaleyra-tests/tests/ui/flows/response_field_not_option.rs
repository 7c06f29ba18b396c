use kaleyra::FlowResponse;

#[derive(FlowResponse)]
#[flow_response(flow = "two_ends")]
struct Reply {
    #[flow_response(token)]
    token: String,
    email: String,
}

fn main() {}
