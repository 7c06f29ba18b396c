use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(token, skip)]
    token: String,
}

fn main() {}
