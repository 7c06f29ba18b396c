use kaleyra::FlowResponse;

#[derive(FlowResponse)]
#[flow_response(flow = "booking")]
struct Reply {
    #[flow_response(token)]
    token: String,
    date: String,
    remnders: bool,
}

fn main() {}
