use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(tokn)]
    token: String,
    date: String,
}

fn main() {}
