use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    #[flow_response(rename = "")]
    date: String,
}

fn main() {}
