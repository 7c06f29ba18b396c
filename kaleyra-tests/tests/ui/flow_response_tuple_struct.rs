use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked(String, String);

fn main() {}
