use kaleyra::{Flow, FlowResponse};

#[derive(Flow)]
#[flow(name = "booking", cta = "Book now", screen = "BOOKING", body = "Pick a date", response = Reply)]
struct Booking<'a> {
    #[flow(token)]
    token: &'a str,
    venue: &'a str,
    guests: u32,
}

#[derive(FlowResponse)]
#[flow_response(flow = "booking")]
struct Reply {
    #[flow_response(token)]
    token: String,
    date: String,
    // Always sent: an Option is allowed too.
    reminders: Option<bool>,
    // `venue` and `notes` left out.
}

#[derive(Flow)]
#[flow(name = "survey", cta = "Try it", screen = "BOOKING", body = "Testing", mode = draft)]
struct Draft {
    #[flow(token)]
    token: String,
    venue: String,
    #[flow(rename = "guests")]
    party: Option<i64>,
}

#[derive(FlowResponse)]
#[flow_response(flow = "two_ends")]
struct Ends {
    accepted: bool,
    // Sent by one terminal screen only.
    email: Option<String>,
}

#[derive(Flow)]
#[flow(unchecked, name = "not_committed", cta = "Open", body = "Unchecked")]
struct Unchecked {
    #[flow(token)]
    token: String,
}

fn main() {
    let m = Booking { token: "t", venue: "Harbour", guests: 2 }
        .to("+919876543210")
        .unwrap();
    // The id flows.json gives, not the name.
    assert!(m.as_str().contains(r#""flow_id":"1234567890""#), "{}", m.as_str());
    let _ = (Draft { token: String::new(), venue: String::new(), party: None }, Unchecked { token: String::new() });
    let _: Option<Ends> = None;
    let _: Option<Reply> = None;
}
