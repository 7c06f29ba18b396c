use kaleyra::FlowResponse;

#[derive(FlowResponse)]
enum Booked {
    Table { date: String },
    Room { nights: u8 },
}

fn main() {}
