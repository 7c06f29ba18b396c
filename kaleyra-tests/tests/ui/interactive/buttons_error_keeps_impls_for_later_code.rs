use kaleyra::callback::ButtonReply;
use kaleyra::prelude::*;

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow, first thing in the morning")]
    Tomorrow,
    #[button(title = "Cancel")]
    Cancel,
}

// The title is too long, but this code still type-checks: only that error is reported.
fn ask() -> Result<Message, Error> {
    Delivery::ask("When should we deliver?")?.footer("Reply within 24 hours")?.to("+919876543210")
}

fn read(tap: &ButtonReply<'_>) -> Result<bool, Error> {
    Ok(matches!(tap.parse::<Delivery>()?, Delivery::Cancel))
}

fn main() {
    let _ = (ask, read);
}
