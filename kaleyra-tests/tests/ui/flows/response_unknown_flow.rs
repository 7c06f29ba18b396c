use kaleyra::FlowResponse;

#[derive(FlowResponse)]
#[flow_response(flow = "bookings")]
struct Reply {
    #[flow_response(token)]
    token: String,
    date: String,
}

fn main() {}
