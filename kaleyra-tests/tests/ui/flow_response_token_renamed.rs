use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(token, rename = "token")]
    token: String,
}

fn main() {}
