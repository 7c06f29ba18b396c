use kaleyra::FlowResponse;

#[derive(FlowResponse)]
#[flow_response(crat = kaleyra)]
struct Booked {
    date: String,
}

fn main() {}
