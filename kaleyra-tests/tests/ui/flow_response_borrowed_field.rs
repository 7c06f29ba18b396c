use kaleyra::FlowResponse;

#[derive(FlowResponse)]
struct Booked<'a> {
    date: &'a str,
}

fn main() {}
