//! README, "Flows as code": the example compiles against this repository's committed
//! `kaleyra-flows/` (found from the package directory, no `KALEYRA_FLOWS`), and the message
//! sends the id `flows.json` gives.

use kaleyra::{Flow, FlowResponse};

#[derive(Flow)]
#[flow(name = "booking", cta = "Book a table", screen = "BOOKING", body = "Pick a date",
       response = BookingReply)]
struct Booking<'a> {
    #[flow(token)]
    token: &'a str,
    venue: &'a str,
    guests: u32,
}

#[derive(FlowResponse)]
#[flow_response(flow = "booking")]
#[allow(dead_code)]
struct BookingReply {
    #[flow_response(token)]
    token: String,
    date: String,
    reminders: bool,
}

#[test]
fn the_readme_flow_sends_the_committed_id() {
    let message = Booking {
        token: "order-42",
        venue: "Harbour Kitchen",
        guests: 2,
    }
    .to("+919876543210")
    .unwrap();
    assert!(
        message.as_str().contains(r#""flow_id":"9100000000000001""#),
        "{}",
        message.as_str()
    );
    assert!(
        !message.as_str().contains("flow_name"),
        "{}",
        message.as_str()
    );
}
