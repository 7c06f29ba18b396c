use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked {
    date: String,
    #[flow_response(rename = "date")]
    day: String,
}

fn main() {}
